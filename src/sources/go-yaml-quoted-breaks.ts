import { Lexer } from 'yaml';

/**
 * go-yaml reads U+2028 (LS) and U+2029 (PS) as line breaks, but inside a quoted scalar it keeps
 * them as characters: libyaml folds a run of breaks in a flow scalar by dropping the whitespace
 * around it and, when the first break of the run is LS or PS, keeping every break as written
 * (`"x \u2028 y"` is "x\u2028y"); when the first is an ordinary break (or U+0085, which go-yaml turns
 * into `\n`) one break alone becomes a space and the rest stay. The exact reader first turns the
 * three Unicode breaks into `\n` so the `yaml` parser cuts lines where go-yaml does; this then
 * rewrites each quoted scalar that held LS or PS as a double-quoted scalar whose escapes give
 * go-yaml's value, on one line (the `yaml` parser would refuse an unindented continuation that
 * go-yaml accepts), so exact-reader errors after such a scalar name a line or two early.
 */
const MARKER_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);
const LS = '\u2028';
const PS = '\u2029';
const UNICODE_BREAK = /[\u0085\u2028\u2029]/;

/**
 * `normalised` is `original` with U+0085/U+2028/U+2029 turned into `\n` (same length). The `yaml`
 * lexer says where quoted scalars start; where one ends is found here, since go-yaml (unlike the
 * `yaml` parser) accepts a continuation line that is not indented, and the lexer then splits it.
 */
export function keepQuotedUnicodeBreaks(original: string, normalised: string): string {
  if (!UNICODE_BREAK.test(original)) return normalised;
  // No quote before the last break: no break can be inside a quoted scalar, and lexing costs a
  // third of a second per MB (issue 17).
  const firstQuote = firstQuoteAt(original);
  if (firstQuote === -1 || firstQuote > lastBreakAt(original)) return normalised;
  const parts: string[] = [];
  let copied = 0;
  let offset = 0;
  for (const token of new Lexer().lex(normalised)) {
    if (MARKER_TOKENS.has(token)) continue;
    const at = offset;
    offset += token.length;
    const quote = token[0];
    if (at < copied || (quote !== '"' && quote !== "'")) continue;
    const end = closingQuote(normalised, at, quote);
    const source = original.slice(at, end);
    if (!UNICODE_BREAK.test(source)) continue;
    parts.push(normalised.slice(copied, at), asDoubleQuoted(source, quote));
    copied = end;
  }
  parts.push(normalised.slice(copied));
  return parts.join('');
}

function firstQuoteAt(text: string): number {
  const double = text.indexOf('"');
  const single = text.indexOf("'");
  return double === -1 ? single : single === -1 ? double : Math.min(double, single);
}

function lastBreakAt(text: string): number {
  return Math.max(text.lastIndexOf('\u0085'), text.lastIndexOf(LS), text.lastIndexOf(PS));
}

/** The offset just past the quote that closes the scalar opened at `at` (the text's end if none does). */
function closingQuote(text: string, at: number, quote: string): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return text.length;
}

function asDoubleQuoted(source: string, quote: string): string {
  const closed = source.length > 1 && source.endsWith(quote);
  const body = source.slice(1, closed ? -1 : undefined);
  let out = '"';
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (quote === '"' && c === '\\') {
      const next = body[i + 1] ?? '';
      // An escaped line break: the `yaml` parser drops it as go-yaml does.
      if (isBreak(next)) {
        // An escaped line break: go-yaml drops it and the blanks after it, and keeps every break of
        // the run after it (libyaml: no leading break, so none is folded; kubectl: "x\\<LS>\n y" is "x\ny").
        const from = i + (next === '\r' && body[i + 2] === '\n' ? 3 : 2);
        const end = runEnd(body, from);
        out += escapedBreaks(breaksOf(body.slice(from, end)));
        i = end;
        continue;
      }
      out += `\\${next}`;
      i += 2;
      continue;
    }
    if (quote === "'" && c === "'" && body[i + 1] === "'") {
      out += "'";
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || isBreak(c)) {
      const end = runEnd(body, i);
      out += foldRun(body.slice(i, end));
      i = end;
      continue;
    }
    out += quote === "'" && (c === '\\' || c === '"') ? `\\${c}` : c;
    i++;
  }
  return closed ? `${out}"` : out;
}

function isBreak(c: string): boolean {
  return c === '\n' || c === '\r' || c === '\u0085' || c === LS || c === PS;
}

function runEnd(body: string, from: number): number {
  let i = from;
  while (i < body.length && (body[i] === ' ' || body[i] === '\t' || isBreak(body[i]!))) i++;
  return i;
}

/** libyaml's folding of whitespace and breaks inside a flow scalar, written as escapes. */
function foldRun(run: string): string {
  const breaks = breaksOf(run);
  if (breaks.length === 0) return run;
  const [first, ...rest] = breaks;
  if (first !== '\n') return escapedBreaks(breaks);
  return rest.length === 0 ? ' ' : escapedBreaks(rest);
}

/** The breaks of a run of blanks and breaks, as go-yaml reads them (`\r\n`, `\r` and U+0085 are `\n`). */
function breaksOf(run: string): string[] {
  return [...run.replace(/\r\n/g, '\n')].filter(isBreak).map((b) => (b === '\r' || b === '\u0085' ? '\n' : b));
}

function escapedBreaks(breaks: readonly string[]): string {
  return breaks.map((b) => (b === '\n' ? '\\n' : b === LS ? '\\L' : '\\P')).join('');
}
