import type { CST } from 'yaml';
import { ExactDecodeError } from './go-yaml-values.js';

/**
 * go-yaml's simple-key rule (libyaml's yaml_simple_key_is_valid): the `:` of an implicit key
 * (no `?`) must be on the key's line, at most 1024 characters (Unicode code points) past the key's
 * start, its first property (`&a`, `!!str`) included. Otherwise the `:` belongs to no key and
 * go-yaml refuses the flow collection ("did not find expected ',' or '}'"); the `yaml` package
 * reads such keys. Checked against kubectl: `{<1024 a>: 1}` is read; `{<1025 a>: 1}`,
 * `[<1024 a> : 1]` and `{a⏎ b: 1}` are refused. Used by the flow reader (go-yaml-flow-read.ts) and,
 * on the source tokens of collections left to the `yaml` parser, by the exact reader.
 */
export const MAX_SIMPLE_KEY = 1024;

/** Whether text[keyStart, colon) may hold an implicit key for go-yaml. */
export function isSimpleKey(text: string, keyStart: number, colon: number): boolean {
  if (colon - keyStart <= MAX_SIMPLE_KEY) return !text.slice(keyStart, colon).includes('\n');
  let count = colon - keyStart;
  for (let i = keyStart; i < colon; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return false;
    // A character outside the BMP is one code point in two UTF-16 units.
    if (c >= 0xd800 && c <= 0xdbff) count--;
  }
  return count <= MAX_SIMPLE_KEY;
}

/** go-yaml's refusal of a collection with such a key, at the line and column of the colon. */
export function staleKeyError(text: string, colon: number, inSequence: boolean): ExactDecodeError {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < colon; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return new ExactDecodeError(
    `did not find expected ',' or '${inSequence ? ']' : '}'}': an implicit key must end with ':' on its own line within ${MAX_SIMPLE_KEY} characters of its start (go-yaml; kubectl refuses it too)`,
    line,
    colon - lineStart + 1,
  );
}

/**
 * go-yaml's refusal of a block mapping's implicit key past the limit (checked with kubectl 1.32):
 * a later key of the mapping is a required simple key ("could not find expected ':'"); the first
 * one is not, so its `:` is then met with no key ("mapping values are not allowed in this context").
 */
function staleBlockKeyError(text: string, colon: number, first: boolean): ExactDecodeError {
  const located = staleKeyError(text, colon, false);
  const reason = first ? 'mapping values are not allowed in this context' : "could not find expected ':'";
  return new ExactDecodeError(`${reason}: an implicit key must end with ':' within ${MAX_SIMPLE_KEY} characters of its start (go-yaml; kubectl refuses it too)`, located.line, located.column);
}

/**
 * Throws go-yaml's refusal when an item of this collection (its own items, not nested ones) has an
 * implicit key go-yaml does not take: flow collections, and block mappings, whose keys the `yaml`
 * package reads at any length (it checks the limit only in its strict mode, which checks more).
 */
export function checkSimpleKeys(token: CST.Token | undefined, text: string): void {
  if (token?.type === 'block-map') {
    token.items.forEach((item, index) => {
      if (!item.sep || item.start.some((t) => t.type === 'explicit-key-ind')) return;
      const colon = item.sep.find((t) => t.type === 'map-value-ind');
      const property = item.start.find((t) => t.type === 'anchor' || t.type === 'tag');
      const keyStart = property?.offset ?? item.key?.offset;
      // Within the limit on its face: the only check most keys need (a multi-line key is the `yaml` parser's error).
      if (!colon || keyStart === undefined || colon.offset - keyStart <= MAX_SIMPLE_KEY) return;
      if (!isSimpleKey(text, keyStart, colon.offset)) throw staleBlockKeyError(text, colon.offset, index === 0);
    });
    return;
  }
  if (token?.type !== 'flow-collection') return;
  const inSequence = token.start.source === '[';
  for (const item of token.items) {
    if (!('sep' in item) || !item.sep || item.start.some((t) => t.type === 'explicit-key-ind')) continue;
    const colon = item.sep.find((t) => t.type === 'map-value-ind');
    if (!colon) continue;
    const property = item.start.find((t) => t.type === 'anchor' || t.type === 'tag');
    const keyStart = property?.offset ?? item.key?.offset;
    if (keyStart === undefined) continue;
    if (!isSimpleKey(text, keyStart, colon.offset)) throw staleKeyError(text, colon.offset, inSequence);
  }
}
