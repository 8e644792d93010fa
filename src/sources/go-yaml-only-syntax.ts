import { parseAllDocuments } from 'yaml';

/**
 * Syntax go-yaml v2 (what `kubectl apply` reads with) accepts and the `yaml` package refuses,
 * rewritten into what the `yaml` package reads as go-yaml does (kubectl 1.32 as oracle,
 * test/sources/go-yaml-only-syntax.test.ts):
 * - `\'` in a double-quoted scalar is `'` for go-yaml (libyaml has no such escape; YAML 1.2 neither)
 *   → `\x27`;
 * - the verbatim tags `!<!>` and `!<!!>` are tags go-yaml cannot resolve, so a scalar keeps its
 *   text as with a lone `!` (`!<!> 12` is "12") → `!` and blanks, the same length.
 * Each is found by the `yaml` parser's own error at its offset, so the same characters in a
 * comment, a plain or single-quoted scalar or a block scalar are never touched. Undefined when
 * there is nothing to rewrite; the caller reads this text only after the first reading failed.
 */
export function rewriteGoYamlOnlySyntax(source: string): string | undefined {
  if (!source.includes("\\'") && !source.includes('!<!')) return undefined;
  const parsed = parseAllDocuments(source, { version: '1.1', schema: 'failsafe', merge: false, uniqueKeys: false, strict: false, prettyErrors: false });
  const documents = Array.isArray(parsed) ? parsed : [];
  const edits: { at: number; length: number; text: string }[] = [];
  for (const document of documents) {
    for (const error of document.errors) {
      const at = error.pos[0];
      if (error.code === 'BAD_DQ_ESCAPE' && source.startsWith("\\'", at)) edits.push({ at, length: 2, text: '\\x27' });
      else if (error.code === 'TAG_RESOLVE_FAILED') {
        const tag = source.slice(at, error.pos[1]);
        // go-yaml wants a blank or a break after a tag; anything else stays for the parser to refuse.
        if ((tag === '!<!>' || tag === '!<!!>') && /^(?:[ \t\r\n]|$)/.test(source.slice(error.pos[1], error.pos[1] + 1))) {
          edits.push({ at, length: tag.length, text: '!'.padEnd(tag.length, ' ') });
        }
      }
    }
  }
  if (edits.length === 0) return undefined;
  // One pass in offset order: a slice per edit over the whole text would be quadratic in the edits.
  edits.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const edit of edits) {
    parts.push(source.slice(from, edit.at), edit.text);
    from = edit.at + edit.length;
  }
  parts.push(source.slice(from));
  return parts.join('');
}
