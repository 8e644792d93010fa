/**
 * Whether `source` holds a YAML anchor (`&`), alias (`*`) or tag (`!`) indicator: one that follows
 * whitespace or `:[{,-` and is followed by a name character. Scanned with indexOf rather than a
 * regex: CRD schemas put `&` and `*` in long descriptions, and a regex with a leading alternation
 * costs more than the check is worth.
 */
export function hasIndicator(source: string, indicator: '&' | '*' | '!'): boolean {
  for (let at = source.indexOf(indicator); at !== -1; at = source.indexOf(indicator, at + 1)) {
    if (at > 0 && !INDICATOR_BEFORE.has(source.charCodeAt(at - 1))) continue;
    const next = source.charCodeAt(at + 1);
    if (!Number.isNaN(next) && !INDICATOR_NOT_AFTER.has(next)) return true;
  }
  return false;
}

/** Whitespace and `:[{,-` may precede an anchor or alias. */
const INDICATOR_BEFORE = new Set([...' \t\r\n:[{,-'].map((c) => c.charCodeAt(0)));
/** An anchor or alias name cannot start with whitespace or a flow character. */
const INDICATOR_NOT_AFTER = new Set([...' \t\r\n,[]{}'].map((c) => c.charCodeAt(0)));
