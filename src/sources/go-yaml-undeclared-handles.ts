import { Lexer } from 'yaml';

/**
 * A named tag handle (`!e!s x`) found before the full reader parses (handleflow17, issue 17).
 *
 * kubectl's YAMLReader cuts the stream at `---` lines, so no `%TAG` reaches the piece go-yaml reads
 * (go-yaml-directives.ts refuses the directive's own piece): every `!name!suffix` go-yaml scans as
 * a tag is undeclared, and go-yaml refuses the document ("found undefined tag handle") when its
 * parser reaches that node. The `yaml` package refused it too, but only after composing every node:
 * 7 s of CPU for a 1 MB flow sequence of `!e!s x` items. The lexer finds the tag tokens in about
 * 0.14 s per MB. The refusal names the first such tag as the full reader does ("Could not resolve
 * tag: !e!s", no line). When another fault comes first, the full reader would have named that one;
 * kubectl refuses the document either way (tests compare with kubectl).
 *
 * go-yaml reads only the first document of a piece: a handle after a `...` (or a `---`, or a
 * directive) is never reached, so the scan stops there and the full reader reads the text.
 */

/** A possible named handle: the lexer runs only when the text holds one. */
const CANDIDATE = /![A-Za-z0-9_-]+!/;
/** go-yaml's handle (scan_tag_handle: `!`, letters, digits, `_`, `-`, `!`) at the start of a tag. */
const NAMED_HANDLE = /^![A-Za-z0-9_-]+!/;

/** The full reader's message for the first undeclared named handle used as a tag, or undefined. */
export function undeclaredHandleRefusal(source: string): string | undefined {
  if (!CANDIDATE.test(source)) return undefined;
  let previous = '';
  for (const lexeme of new Lexer().lex(source)) {
    // `\x1f` precedes a scalar's text (a `!` or `%` there is text, never a tag or directive).
    if (previous !== '\x1f') {
      // A document marker or directive: what follows is not the first document go-yaml reads.
      if (lexeme === '...' || lexeme === '---' || lexeme.startsWith('%')) return undefined;
      if (NAMED_HANDLE.test(lexeme) && !/\s/.test(lexeme)) return `Could not resolve tag: ${lexeme}`;
    }
    previous = lexeme;
  }
  return undefined;
}
