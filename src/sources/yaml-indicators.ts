/**
 * Whether `source` holds a YAML anchor (`&`), alias (`*`) or tag (`!`) indicator: one that follows
 * whitespace or `:[{,-` and is followed by a name character. Scanned with indexOf rather than a
 * regex: CRD schemas put `&` and `*` in long descriptions, and a regex with a leading alternation
 * costs more than the check is worth. A tag may also be the bare `!`, the non-specific tag, with
 * nothing after it: go-yaml reads `a: !` as "", js-yaml as null.
 */
export function hasIndicator(source: string, indicator: '&' | '*' | '!'): boolean {
  for (let at = source.indexOf(indicator); at !== -1; at = source.indexOf(indicator, at + 1)) {
    if (at > 0 && !INDICATOR_BEFORE.has(source.charCodeAt(at - 1))) continue;
    const next = source.charCodeAt(at + 1);
    if (!Number.isNaN(next) && !INDICATOR_NOT_AFTER.has(next)) return true;
    if (indicator === '!' && startsNode(source, at)) return true;
  }
  return false;
}

/**
 * Whether a bare `!` at `at` stands where a node starts: after a line break, `:`, `-`, `[`, `{`
 * or `,` and blanks. Shell text in block scalars (`if ! grep …`) has a word before it instead.
 */
function startsNode(source: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (source.charCodeAt(i) === 32 || source.charCodeAt(i) === 9)) i--;
  return i < 0 || NODE_BEFORE.has(source.charCodeAt(i));
}

const NODE_BEFORE = new Set([...'\n:-[{,'].map((c) => c.charCodeAt(0)));

/** Whitespace and `:[{,-` may precede an anchor or alias. */
const INDICATOR_BEFORE = new Set([...' \t\r\n:[{,-'].map((c) => c.charCodeAt(0)));
/** An anchor or alias name cannot start with whitespace or a flow character. */
const INDICATOR_NOT_AFTER = new Set([...' \t\r\n,[]{}'].map((c) => c.charCodeAt(0)));
