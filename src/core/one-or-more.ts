/**
 * Values keyed by a string, held in an outer map under another key, where one value per outer key
 * is the rule (the snapshot's copies of one identity, its objects of one kind, namespace and name):
 * a single value is kept as a `[key, value]` pair, a Map only from the second on. A one-entry Map
 * costs 184 bytes against 32 for the pair, and the snapshot holds two per object. Insertion order
 * is kept, as a Map keeps it: queries that take the first match must not depend on the form.
 */
export type OneOrMore<V> = [string, V] | Map<string, V>;

export function getOf<V>(held: OneOrMore<V> | undefined, key: string): V | undefined {
  if (held === undefined) return undefined;
  if (held instanceof Map) return held.get(key);
  return held[0] === key ? held[1] : undefined;
}

export function valuesOf<V>(held: OneOrMore<V>): V[] {
  return held instanceof Map ? [...held.values()] : [held[1]];
}

export function pairsOf<V>(held: OneOrMore<V>): [string, V][] {
  return held instanceof Map ? [...held.entries()] : [[held[0], held[1]]];
}

/** Adds or, for a key already held, replaces in place. */
export function setIn<K, V>(outer: Map<K, OneOrMore<V>>, at: K, key: string, value: V): void {
  const held = outer.get(at);
  if (held === undefined) outer.set(at, [key, value]);
  else if (held instanceof Map) held.set(key, value);
  else if (held[0] === key) held[1] = value;
  else outer.set(at, new Map([[held[0], held[1]], [key, value]]));
}

/** Removes the key; the outer entry goes with its last value. */
export function deleteIn<K, V>(outer: Map<K, OneOrMore<V>>, at: K, key: string): void {
  const held = outer.get(at);
  if (held === undefined) return;
  if (held instanceof Map) {
    held.delete(key);
    if (held.size === 0) outer.delete(at);
  } else if (held[0] === key) outer.delete(at);
}
