import { structuredPatch } from 'diff';
import { escapeForTerminalLines } from '../report/terminal-safe.js';
import { quoteHeaderName } from './diff-path.js';
import { maskYamlSecrets } from './mask-yaml-secrets.js';

const CONTEXT = 3;

/**
 * The unified diff `fix` previews, from the whole old and new texts (the `diff` package's Myers
 * diff: one changed line in a large file is one small hunk, and hunks apply with `patch` as is).
 * Both texts are printed, so credentials are masked first, by structure (mask-yaml-secrets.ts);
 * masking keeps every line, so the hunks still point at the real lines. `label` is the file's
 * path as diff-path.ts gives it.
 */
export function unifiedDiff(label: string, before: string | undefined, after: string): string {
  const patch = structuredPatch(`a/${label}`, `b/${label}`, maskYamlSecrets(before ?? ''), maskYamlSecrets(after), undefined, undefined, { context: CONTEXT });
  if (patch.hunks.length === 0) return '';
  const lines = [`--- ${before === undefined ? '/dev/null' : quoteHeaderName(`a/${label}`)}`, `+++ ${quoteHeaderName(`b/${label}`)}`];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines.map(terminalSafeLine));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A line of the file as the preview prints it: the file's author may have put OSC 52 (set the
 * clipboard), OSC 8 or bidi overrides in a comment, so they are shown as `\uXXXX` (that line then
 * no longer applies with `patch`, like a masked one). A CRLF file's final CR stays: it moves
 * nothing on a terminal, and the hunk still applies.
 */
function terminalSafeLine(line: string): string {
  const crlf = line.endsWith('\r');
  const escaped = escapeForTerminalLines(crlf ? line.slice(0, -1) : line);
  return crlf ? `${escaped}\r` : escaped;
}
