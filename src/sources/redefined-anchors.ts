/**
 * An anchor name defined more than once and aliased somewhere (anchors17): the fast path must not
 * read it. js-yaml binds a collection's anchor again when the collection closes, go-yaml only when
 * it starts (go-yaml-lean-rebind.ts), so after `x: &a` holding `y: &a 1`, `*a` is the mapping x for
 * js-yaml and 1 for kubectl: a Pod's `containers: *a` could hide what the cluster runs from a
 * scanner reading with js-yaml. Such a text goes to the exact reader, whose lean path binds names
 * as go-yaml does at about js-yaml's cost. Without an alias to a name defined twice, or with names
 * defined once, the binding cannot matter.
 *
 * A cheap over-approximation: a `&` or `*` where a node may start (at the text's start or after a
 * blank, `:`, `[`, `{`, `,` or `-`), its name running to a blank or flow indicator, as js-yaml
 * reads it; one inside quoted text only costs an exact read. One pass per sigil, each name read
 * once: linear time (test/sources/redefined-anchors.test.ts).
 */
export function aliasesRedefinedAnchor(text: string): boolean {
  const repeated = namesAt(text, '&', true);
  if (repeated.size === 0) return false;
  for (const name of namesAt(text, '*', false)) if (repeated.has(name)) return true;
  return false;
}

/** The names after `sigil` at node starts: all of them, or (`repeatedOnly`) those written more than once. */
function namesAt(text: string, sigil: string, repeatedOnly: boolean): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (let at = text.indexOf(sigil); at !== -1; at = text.indexOf(sigil, at + 1)) {
    if (at > 0 && !NODE_START_AFTER.has(text.charCodeAt(at - 1))) continue;
    let end = at + 1;
    while (end < text.length && !NAME_END.has(text.charCodeAt(end))) end++;
    if (end === at + 1) continue;
    const name = text.slice(at + 1, end);
    if (seen.has(name)) repeated.add(name);
    else seen.add(name);
    // No node starts inside a name (every character before the next sigil in it is a name character).
    at = end - 1;
  }
  return repeatedOnly ? repeated : seen;
}

const NODE_START_AFTER = new Set([...' \t\r\n:[{,-'].map((c) => c.charCodeAt(0)));
/** js-yaml ends an anchor's or alias's name at a blank, a line end or a flow indicator. */
const NAME_END = new Set([...' \t\r\n,[]{}'].map((c) => c.charCodeAt(0)));
