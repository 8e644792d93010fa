import { escapeForTerminal } from '../report/terminal-safe.js';

/**
 * One line for stderr. File names and messages come from input: a newline in a file name would
 * start a line of the attacker's own (`kfguard: ... passes`), so every control character in
 * `text`, newline included, is shown as `\uXXXX` and the line ends with kfguard's own newline.
 */
export function stderrLine(text: string): string {
  return `${escapeForTerminal(text)}\n`;
}
