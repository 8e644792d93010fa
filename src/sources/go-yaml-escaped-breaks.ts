import { Lexer } from 'yaml';

/**
 * An escaped line break in a double-quoted scalar followed by blank lines. go-yaml (libyaml's
 * scan_flow_scalar) drops the escaped break and the blanks around it, and keeps one `\n` for each
 * blank line after it, as YAML 1.2 says (`"a\` + blank line + `b"` is "a\nb"; two blank lines
 * "a\n\nb"; a blank line holding spaces or tabs counts the same; a space before the `\` stays:
 * `"a \` + blank + `b"` is "a \nb"; checked with kubectl 1.32, in block and flow context). js-yaml
 * drops the blank lines ("ab") and the `yaml` parser folds them ("a b"), so documents holding one
 * go to the exact reader (exact-route.ts), which reads the text this rewrites.
 */
const CANDIDATE = /\\\r?\n[ \t]*\r?\n/;

/** Whether a double-quoted scalar in `text` holds an escaped break followed by a blank line. */
export function hasEscapedBlankLine(text: string): boolean {
  return CANDIDATE.test(text) && rewriteEscapedBlankLines(text) !== text;
}

/**
 * `text` with each such run written so the `yaml` parser reads go-yaml's value on the same lines:
 * `\` + k blank lines becomes k `\n` escapes then `\` + break, and each blank line a `\` + break
 * indented like the line after the run (an escaped break before a line of text drops nothing more
 * in either reader). Lines stay where they were, so later error lines hold.
 */
export function rewriteEscapedBlankLines(text: string): string {
  if (!CANDIDATE.test(text)) return text;
  const parts: string[] = [];
  let copied = 0;
  let offset = 0;
  let blockBody = false;
  for (const token of new Lexer().lex(text)) {
    // The lexer's marker tokens stand for no text.
    if (token === '\u0002' || token === '\u0018' || token === '\u001f') continue;
    const at = offset;
    offset += token.length;
    const first = token[0];
    if (blockBody) {
      // The rest of a block scalar's header line, then its body: one token, whose `\` are text.
      const headerLine = token === '\n' || token === '\r\n' || first === '#' || (first === ' ' && !token.includes('\n'));
      if (!headerLine) blockBody = false;
      continue;
    }
    if (first === '|' || first === '>') {
      blockBody = true;
      continue;
    }
    if (first !== '"' || at < copied) continue;
    const end = closingQuote(text, at);
    const source = text.slice(at, end);
    if (!CANDIDATE.test(source)) continue;
    parts.push(text.slice(copied, at), rewriteScalar(source));
    copied = end;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

function closingQuote(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
  }
  return text.length;
}

const BREAK = /^\r?\n/;
const BLANK_LINE = /^[ \t]*\r?\n/;

function rewriteScalar(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; ) {
    if (source[i] !== '\\') {
      out += source[i]!;
      i++;
      continue;
    }
    const escapedBreak = BREAK.exec(source.slice(i + 1, i + 3));
    if (!escapedBreak) {
      out += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    let at = i + 1 + escapedBreak[0].length;
    const blanks: string[] = [];
    for (let line = BLANK_LINE.exec(source.slice(at)); line; line = BLANK_LINE.exec(source.slice(at))) {
      blanks.push(line[0].endsWith('\r\n') ? '\r\n' : '\n');
      at += line[0].length;
    }
    if (blanks.length === 0) {
      out += `\\${escapedBreak[0]}`;
      i = at;
      continue;
    }
    const indent = /^[ \t]*/.exec(source.slice(at))![0];
    out += `${'\\n'.repeat(blanks.length)}\\${escapedBreak[0]}${blanks.map((b) => `${indent}\\${b}`).join('')}`;
    i = at;
  }
  return out;
}
