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
  if (!CANDIDATE.test(source)) return { text: source };
  let text = source;
  let offset = 0;
  let previous = '';
  for (const lexeme of new Lexer().lex(source)) {
    const marker = lexeme === '\x02' || lexeme === '\x18' || lexeme === '\x1f';
    if (!marker && lexeme.startsWith('!') && previous !== '\x1f' && !/\s/.test(lexeme) && !lexeme.startsWith('!<')) {
      const end = goTagEnd(source, offset);
      if (!isBlankOrEnd(source.charCodeAt(end))) {
        return { text: source, refusal: { message: 'while scanning a tag: did not find expected whitespace or line break', line: lineOf(source, end) } };
      }
      if (end > offset + lexeme.length) text = `${text.slice(0, offset)}${source.slice(offset, end).replace(/[,[\]]/g, '_')}${text.slice(end)}`;
    }
    previous = lexeme;
    if (!marker) offset += lexeme.length;
  }
  return { text };
}

/** A `!` glued to a `,`, `[` or `]` through characters go-yaml takes into a tag: the lexer must look. */
const CANDIDATE = /![0-9A-Za-z_\-;/?:@&=+$.!~*'()%]*[,[\]]|![0-9A-Za-z_\-!]*[{}]/;

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
