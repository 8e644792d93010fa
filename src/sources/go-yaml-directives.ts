import { Lexer } from 'yaml';

/**
 * `%` directives as kubectl reads them. kubectl's YAMLReader cuts the stream at `---` lines before
 * go-yaml sees it, and go-yaml (sigs.k8s.io/yaml → yaml.v2 Unmarshal) reads only the first document
 * of each piece. So (all checked against kubectl 1.32):
 * - a piece whose first line that is not blank or a comment is a directive has lost the `---` the
 *   directive needs: kubectl refuses it ("did not find expected <document start>"), whatever follows;
 * - a directive line at column 0 after a document ends that document: go-yaml scans that one line
 *   (a malformed one is refused: "found unknown directive name", "did not find expected comment or
 *   line break") and never reads the rest of the piece (`%YAML 1.2` there is not even checked);
 * - the stream's first piece keeps its leading `---` line: an empty document, then as above.
 */
export type DirectiveCut =
  | { readonly end: number; readonly note: string }
  | { readonly refusal: { readonly line: number; readonly message: string } };

/** go-yaml's scanner (scan_directive): a `%YAML` or `%TAG` line it reads without error; other names are refused. */
const VALID_DIRECTIVE = /^%(?:YAML[ \t]+[0-9]{1,9}\.[0-9]{1,9}|TAG[ \t]+!(?:[0-9A-Za-z_-]*!)?[ \t]+[0-9A-Za-z_\-;/?:@&=+$,.!~*'()[\]%#]+)[ \t]*(?:#.*)?\r?$/;
/** A line that holds nothing for go-yaml's parser. */
const EMPTY_LINE = /^[ \t]*(?:#.*)?\r?$/;
/** `...` alone: go-yaml ends the document there and reads no further token, so a directive after it is never scanned. */
const DOCUMENT_END = /^\.\.\.(?:[ \t].*)?\r?$/;

/**
 * How kubectl reads the `%` lines of one piece `text[start, end)` (first line `startLine`):
 * undefined when it has none at column 0; otherwise where kfguard must end the piece, or why
 * kubectl refuses it. `afterMarker`: the piece is the stream's first and starts after a `---` line
 * kubectl keeps in it. Callers pass only pieces with a `%` at a line start (the walk is per line).
 */
export function directiveCut(text: string, start: number, end: number, startLine: number, afterMarker: boolean): DirectiveCut | undefined {
  let content = afterMarker;
  // A `%` line inside a quoted scalar is text for go-yaml (its scanner is in the scalar there).
  let quoted: [number, number][] | undefined;
  let line = startLine;
  for (let at = start; at < end; line++) {
    const newline = text.indexOf('\n', at);
    const lineEnd = newline === -1 || newline > end ? end : newline;
    const shown = text.slice(at, lineEnd);
    if (text.charCodeAt(at) === 37 /* % */ && !(content && (quoted ??= quotedRanges(text, start, end)).some(([from, to]) => from < at && at < to))) {
      const valid = VALID_DIRECTIVE.test(shown);
      if (!content) {
        return { refusal: { line, message: `${JSON.stringify(shown.slice(0, 40))} is a directive with no \`---\` after it in its document (kubectl cuts the stream at \`---\` first): kubectl refuses it (${valid ? 'did not find expected <document start>' : 'a malformed directive'})` } };
      }
      if (!valid) return { refusal: { line, message: `${JSON.stringify(shown.slice(0, 40))}: kubectl refuses this directive (go-yaml scans it after the document before it)` } };
      return { end: at, note: `line ${line} ${JSON.stringify(shown.slice(0, 40))} ends the document for kubectl, which reads nothing after it up to the next \`---\`; kfguard reads no further either` };
    }
    if (DOCUMENT_END.test(shown)) return undefined;
    if (!EMPTY_LINE.test(shown)) content = true;
    if (newline === -1 || newline >= end) break;
    at = newline + 1;
  }
  return undefined;
}

/**
 * Where quoted scalars run in `text[start, end)`. The `yaml` lexer says where one starts; where it
 * ends is found here, since go-yaml accepts an unindented continuation line that the lexer splits.
 */
function quotedRanges(text: string, start: number, end: number): [number, number][] {
  const ranges: [number, number][] = [];
  const piece = text.slice(start, end);
  let offset = 0;
  let covered = 0;
  for (const token of new Lexer().lex(piece)) {
    // The lexer's marker tokens stand for no text.
    if (token === '\u0002' || token === '\u0018' || token === '\u001f') continue;
    const at = offset;
    offset += token.length;
    const quote = token[0];
    if (at < covered || (quote !== '"' && quote !== "'")) continue;
    covered = closingQuote(piece, at, quote);
    ranges.push([start + at, start + covered]);
  }
  return ranges;
}

/** Just past the quote that closes the scalar opened at `at` (the text's end if none does). */
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
