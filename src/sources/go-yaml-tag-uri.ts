import { Lexer } from 'yaml';

/**
 * A tag's extent as go-yaml v2 scans it (libyaml's yaml_parser_scan_tag_uri, as kubectl 1.32 runs
 * it): after `!`, the handle's letters, digits, `_` and `-` and an optional closing `!`, then URI
 * characters, which include `,`, `[` and `]` in flow and block context alike; the tag must then be
 * followed by a blank or a line end ("did not find expected whitespace or line break"). YAML 1.2
 * readers (the `yaml` package) end a tag at a flow indicator. So kubectl reads `[!, 1]` as ["1"]
 * (tag `!,`), `a: !foo,b x` as "x", and refuses `[!]`, `[!,1]` and `{a: !}`, where the `yaml`
 * package read ["", 1], "", … or refused `!foo,b x`.
 *
 * Such a tag is never one go-yaml resolves (no known tag holds `,`, `[` or `]`), so its node keeps
 * its text, as under any local tag: the characters go-yaml takes into the name are rewritten to `_`
 * (same length, so offsets and lines hold), and both the `yaml` package and the flow reader
 * (go-yaml-flow-tokens.ts) then read a local tag with go-yaml's extent. A tag that go-yaml ends on
 * anything but a blank is refused with go-yaml's message. Tags are found with the `yaml` lexer, so
 * a `!` in a quoted scalar, a block scalar or a comment is left alone; the lexer runs only when the
 * text holds a `!` glued to one of those characters.
 */
export interface TagUriReading {
  /** The text with go-yaml's tag names made local tags the `yaml` package ends where go-yaml does. */
  readonly text: string;
  /** go-yaml's scanner error, with its 1-based line, when a tag is not followed by a blank. */
  readonly refusal?: { readonly message: string; readonly line: number };
}

export function goYamlTagExtents(source: string): TagUriReading {
  if (!hasCandidate(source) && !SECONDARY_SUFFIX_BANG.test(source)) return { text: source };
  // The rewritten pieces, joined once (rewriting the whole text per tag went quadratic on many tags).
  const pieces: string[] = [];
  let copied = 0;
  let offset = 0;
  let previous = '';
  // The end of the last tag go-yaml scanned: a `!` before it is inside that tag for go-yaml (and each tag is scanned once).
  let covered = 0;
  for (const lexeme of new Lexer().lex(source)) {
    const marker = lexeme === '\x02' || lexeme === '\x18' || lexeme === '\x1f';
    if (!marker && offset >= covered && lexeme.startsWith('!') && previous !== '\x1f' && !/\s/.test(lexeme) && !lexeme.startsWith('!<')) {
      const end = goTagEnd(source, offset);
      covered = end;
      if (!isBlankOrEnd(source.charCodeAt(end))) {
        return { text: source, refusal: { message: 'while scanning a tag: did not find expected whitespace or line break', line: lineOf(source, end) } };
      }
      const bangInSuffix = source.startsWith('!!', offset) && source.slice(offset + 2, end).includes('!');
      if (end > offset + lexeme.length || bangInSuffix) {
        const name = source.slice(offset, end).replace(/[,[\]]/g, '_');
        pieces.push(source.slice(copied, offset), bangInSuffix ? `!!${name.slice(2).replace(/!/g, '_')}` : name);
        copied = end;
      }
    }
    previous = lexeme;
    if (!marker) offset += lexeme.length;
  }
  if (copied === 0) return { text: source };
  pieces.push(source.slice(copied));
  return { text: pieces.join('') };
}

/**
 * A `!` followed by characters go-yaml takes into a tag and then a flow indicator: the lexer must
 * look. One pass: a run is scanned once whatever `!`s it holds (a regex tried at each `!` of a run
 * of `!!!…` went quadratic).
 */
function hasCandidate(source: string): boolean {
  for (let at = source.indexOf('!'); at !== -1; ) {
    let i = at + 1;
    while (i < source.length && isUriChar(source.charCodeAt(i)) && !FLOW_INDICATORS.has(source.charCodeAt(i))) i++;
    if (FLOW_INDICATORS.has(source.charCodeAt(i))) return true;
    at = source.indexOf('!', i);
  }
  return false;
}

/**
 * `!!e!s`: go-yaml's handle is `!!` and its suffix `e!s` (tag:yaml.org,2002:e!s, no tag it knows, so
 * the node keeps its text and kubectl reads it); the `yaml` package takes `!!e!` for the handle and
 * refuses an undeclared one. The `!`s of the suffix become `_` (still no known tag).
 */
const SECONDARY_SUFFIX_BANG = /!![^\s!]*!/;

const FLOW_INDICATORS = new Set([...',[]{}'].map((c) => c.charCodeAt(0)));

/** Where go-yaml's tag starting at `start` ends. */
function goTagEnd(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length && isAlpha(source.charCodeAt(i))) i++;
  if (source.charCodeAt(i) === 33) i++;
  while (i < source.length && isUriChar(source.charCodeAt(i))) i++;
  return i;
}

function isAlpha(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

const URI_MARKS = new Set([...";/?:@&=+$,.!~*'()[]%"].map((c) => c.charCodeAt(0)));

function isUriChar(c: number): boolean {
  return isAlpha(c) || URI_MARKS.has(c);
}

function isBlankOrEnd(c: number): boolean {
  return Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13;
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let at = source.indexOf('\n'); at !== -1 && at < offset; at = source.indexOf('\n', at + 1)) line++;
  return line;
}
