import { launchedCommand } from './launchers.js';

/**
 * A small, forgiving shell reader: enough of POSIX sh to split a container's script into simple
 * commands and words. It never executes or expands anything; unknown syntax degrades to words.
 */

export interface ShellCommand {
  /** Words after quote removal, with leading `VAR=value` assignments and wrappers (sudo, nohup …) dropped. */
  readonly words: readonly string[];
  /** True when stdin comes from the previous command through `|`. */
  readonly piped: boolean;
}

export interface ShellScript {
  readonly commands: readonly ShellCommand[];
  /** Bodies of `$( … )` and backtick substitutions, to be read as scripts of their own. */
  readonly substitutions: readonly string[];
  /** Plain `NAME=value` assignments in order (the last one wins), to expand `$NAME` later. */
  readonly assignments: ReadonlyMap<string, string>;
}

// `eval` is not a wrapper: its arguments are a script of their own (see text-scan.ts).
// `sudo` and `exec -a` are launchers (launchers.ts): their options must be skipped too.
const WRAPPERS = new Set(['nohup', 'exec', 'env', 'setsid', 'command', 'time', 'builtin', 'then', 'do', 'else', 'if', 'while', 'until', '!', '{', '(']);
/** `${IFS}` and `$IFS` stand for a space: `wget${IFS}-qO-${IFS}URL` is a common way to hide words. */
const IFS_REFERENCE = /\$\{IFS\}|\$IFS(?![A-Za-z0-9_])/g;
const WRAPPERS_WITH_ARGUMENT = new Set(['nice', 'timeout', 'ionice']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Words that may stand before `[[` in the same command: `if [[ … ]]`, `while ! [[ … ]]`. */
const BEFORE_TEST = new Set(['if', 'elif', 'while', 'until', '!', 'then', 'do', 'else', '{', '(']);

/** Reads the whole script in one pass: linear in its length, whatever it holds. */
export function parseShell(source: string): ShellScript {
  const text = source.includes('IFS') ? source.replace(IFS_REFERENCE, ' ') : source;
  const commands: ShellCommand[] = [];
  const substitutions: string[] = [];
  const assignments = new Map<string, string>();
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let piped = false;
  /** Inside `[[ … ]]`, where `||`, `&&`, `(` and `)` are operators of the test, not of the shell. */
  let inTest = false;

  const endWord = (): void => {
    if (inWord) {
      if (word === '[[' && words.every((w) => BEFORE_TEST.has(w))) inTest = true;
      else if (word === ']]') inTest = false;
      words.push(word);
    }
    word = '';
    inWord = false;
  };
  const endCommand = (nextPiped: boolean): void => {
    endWord();
    for (const word of words) {
      const assignment = ASSIGNMENT_PARTS.exec(word);
      if (!assignment) break;
      const name = assignment[1] as string;
      // `X=$(echo "$X" | tr …)` names the earlier X: left as `$X`, every expansion would hold `$X`
      // again and the reading would never settle (a benign idiom reported as text not examined).
      assignments.set(name, withoutSelfReference(name, assignment[2] as string, assignments.get(name)));
    }
    const cleaned = stripPrefixes(words);
    if (cleaned.length > 0) commands.push({ words: cleaned, piped });
    words = [];
    piped = nextPiped;
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const quoted = readWordPart(text, i, substitutions);
    if (quoted) {
      word += quoted.value;
      inWord ||= quoted.value !== '' || ch !== '\\';
      i = quoted.end;
      continue;
    }
    const operator = operatorAt(text, i);
    const testOperator = inTest && operator !== undefined && !operator.pipe && (text.startsWith('||', i) || text.startsWith('&&', i) || ch === '(' || ch === ')');
    if (testOperator) {
      endWord();
      words.push(text.slice(i, i + (operator as { length: number }).length));
      i += (operator as { length: number }).length;
    } else if (operator) {
      inTest = false;
      endCommand(operator.pipe);
      i += operator.length;
    } else if (ch === '#' && !inWord) {
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? text.length : newline;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      i += 1;
    } else {
      // A run of ordinary characters is added at once: character by character, a long word costs a string per character.
      PLAIN_RUN.lastIndex = i;
      const run = PLAIN_RUN.exec(text);
      const end = run ? i + run[0].length : i + 1;
      word += run ? run[0] : ch;
      inWord = true;
      i = end;
    }
  }
  endCommand(false);
  return { commands, substitutions, assignments };
}

/** `value` with its references to `name` replaced by the value `name` had before (nothing when unknown). */
function withoutSelfReference(name: string, value: string, earlier: string | undefined): string {
  if (!value.includes('$')) return value;
  return value.replace(VARIABLE_REFERENCE, (reference, braced: string | undefined, plain: string | undefined) => ((braced ?? plain) === name ? (earlier ?? '') : reference));
}

/** Characters with no meaning to the reader at this point: not quotes, escapes, `$`, operators, blanks or `#`. */
const PLAIN_RUN = /[^ \t\r\n'"\\$`|&;()#]+/y;
const ASSIGNMENT_PARTS = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const VARIABLE_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export interface Expansion {
  readonly text: string;
  /** True when the expansion reached `maxChars` and stops there: the rest was not built. */
  readonly clipped: boolean;
}

/**
 * The script with `$NAME` and `${NAME}` replaced by values assigned in it, so `a=xm; b=rig; $a$b`
 * reads as `xmrig`. Undefined when nothing was replaced. The result is built up to `maxChars`
 * (an 80 KB value referenced a thousand times would not fit in a string) and says when it stopped.
 */
export function expandAssignments(text: string, assignments: ReadonlyMap<string, string>, maxChars = Number.POSITIVE_INFINITY): Expansion | undefined {
  if (assignments.size === 0 || !text.includes('$')) return undefined;
  let replaced = false;
  const parts: string[] = [];
  let size = 0;
  let last = 0;
  for (const match of text.matchAll(VARIABLE_REFERENCE)) {
    const value = assignments.get(match[1] ?? match[2] ?? '');
    if (value === undefined) continue;
    const index = match.index ?? 0;
    const literal = text.slice(last, index);
    if (size + literal.length + value.length > maxChars) {
      parts.push(literal.slice(0, Math.max(0, maxChars - size)));
      const room = maxChars - size - literal.length;
      if (room > 0) parts.push(value.slice(0, room));
      return { text: parts.join(''), clipped: true };
    }
    parts.push(literal, value);
    size += literal.length + value.length;
    last = index + match[0].length;
    replaced = true;
  }
  if (!replaced) return undefined;
  const rest = text.slice(last);
  if (size + rest.length > maxChars) return { text: parts.join('') + rest.slice(0, maxChars - size), clipped: true };
  return { text: parts.join('') + rest, clipped: false };
}

/** Quotes, escapes and substitutions: the parts of a word that may hold separators. */
function readWordPart(text: string, i: number, substitutions: string[]): { value: string; end: number } | undefined {
  const ch = text[i];
  const next = text[i + 1];
  if (ch === '\\' && next === '\n') return { value: '', end: i + 2 };
  if (ch === '\\' && next !== undefined) return { value: next, end: i + 2 };
  if (ch === "'") {
    const close = text.indexOf("'", i + 1);
    const end = close === -1 ? text.length : close;
    return { value: text.slice(i + 1, end), end: end + 1 };
  }
  if (ch === '"') {
    const { value, end } = readDoubleQuoted(text, i + 1, substitutions);
    return { value, end: end + 1 };
  }
  if (ch === '$' && next === '(' && text[i + 2] !== '(') {
    const end = matchingParen(text, i + 1);
    const body = text.slice(i + 2, end);
    substitutions.push(body);
    return { value: `$(${body})`, end: end + 1 };
  }
  if (ch === '`') {
    const close = text.indexOf('`', i + 1);
    const end = close === -1 ? text.length : close;
    substitutions.push(text.slice(i + 1, end));
    return { value: text.slice(i, end + 1), end: end + 1 };
  }
  return undefined;
}

function operatorAt(text: string, i: number): { length: number; pipe: boolean } | undefined {
  const ch = text[i];
  const next = text[i + 1];
  if (ch === '|') return next === '|' ? { length: 2, pipe: false } : { length: 1, pipe: true };
  if (ch === '&' || ch === ';') return { length: next === ch ? 2 : 1, pipe: false };
  if (ch === '\n' || ch === '(' || ch === ')') return { length: 1, pipe: false };
  return undefined;
}

function readDoubleQuoted(text: string, start: number, substitutions: string[]): { value: string; end: number } {
  let value = '';
  let i = start;
  while (i < text.length && text[i] !== '"') {
    const ch = text[i] as string;
    if (ch === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1] as string)) {
      if (text[i + 1] !== '\n') value += text[i + 1];
      i += 2;
    } else if (ch === '$' && text[i + 1] === '(' && text[i + 2] !== '(') {
      const end = matchingParen(text, i + 1);
      substitutions.push(text.slice(i + 2, end));
      value += text.slice(i, end + 1);
      i = end + 1;
    } else {
      value += ch;
      i += 1;
    }
  }
  return { value, end: i };
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
    else if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return text.length;
      i = close;
    }
  }
  return text.length;
}

function stripPrefixes(words: readonly string[], depth = 0): string[] {
  let start = 0;
  while (start < words.length) {
    const word = words[start] as string;
    if (ASSIGNMENT.test(word) || (WRAPPERS.has(word) && !(word === 'exec' && words[start + 1] === '-a'))) start++;
    else if (WRAPPERS_WITH_ARGUMENT.has(word)) {
      start++;
      while (start < words.length && (words[start] as string).startsWith('-')) start++;
      if (start < words.length && /^[\d.]+[smhd]?$/.test(words[start] as string)) start++;
    } else break;
  }
  const rest = words.slice(start);
  const launched = depth < 4 && rest.length > 0 ? launchedCommand(rest, commandName(rest[0] as string)) : undefined;
  return launched ? stripPrefixes(launched, depth + 1) : rest;
}

/** A command's words without leading assignments, wrappers (`nohup`, `sudo`) and launchers (`nsenter … --`). */
export function commandWords(words: readonly string[]): string[] {
  return stripPrefixes(words);
}

/** Longest path the kernel runs (PATH_MAX): a longer word names no command, and reading all of it costs. */
const MAX_COMMAND_PATH = 4_096;

/** `/usr/bin/xmrig` → `xmrig`; `./t-rex` → `t-rex`. */
export function commandName(word: string): string {
  const path = word.length > MAX_COMMAND_PATH ? word.slice(word.length - MAX_COMMAND_PATH) : word;
  const slash = path.lastIndexOf('/');
  return (slash === -1 ? path : path.slice(slash + 1)).toLowerCase();
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);
const PYTHONS = /^python[\d.]*$/;

export function isShell(word: string): boolean {
  return SHELLS.has(commandName(word));
}

export function isPython(word: string): boolean {
  return PYTHONS.test(commandName(word));
}

/** For `sh -c SCRIPT …` or `bash -ec SCRIPT`, the index of SCRIPT in argv; otherwise -1. */
export function inlineScriptIndex(argv: readonly string[], start = 0): number {
  const first = argv[start];
  if (first === undefined || !(isShell(first) || isPython(first))) return -1;
  for (let i = start + 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-')) return -1;
    if (/^-[a-z]*c[a-z]*$/i.test(arg) && !arg.startsWith('--')) return i + 1 < argv.length ? i + 1 : -1;
  }
  return -1;
}

/**
 * Every shell script in argv. KFP v2 components chain them: `sh -c INSTALL sh -ec PROGRAM CODE`,
 * where INSTALL ends in `"$0" "$@"` and so runs the second shell.
 */
export function shellScriptIndexes(argv: readonly string[]): Set<number> {
  const found = new Set<number>();
  for (let i = 0; i < argv.length; i++) {
    if (!isShell(argv[i] as string)) continue;
    const index = inlineScriptIndex(argv, i);
    if (index !== -1) found.add(index);
  }
  return found;
}
