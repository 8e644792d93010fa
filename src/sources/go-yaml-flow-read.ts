import { continuationLineOk, isBlank, isBlankOrBreak } from './go-yaml-flow-lines.js';
import { readName, readScalar, readTag, type ScalarToken } from './go-yaml-flow-tokens.js';
import { isSimpleKey, staleKeyError } from './go-yaml-simple-keys.js';
import { resolveGoPlain } from './go-yaml-scalar.js';
import { TAG_PREFIX, taggedScalarValue } from './go-yaml-tags.js';
import { ExactDecodeError, hasNullKey, keyToString, keepKeyTypes, keyTypesNote, keyTypesOf, markNullKey, MAX_MERGED_ENTRIES, MERGE_BOMB, type MergeBudget, type PendingDuplicate, setKey } from './go-yaml-values.js';

/**
 * The exact reader's fast path for one flow collection (`[…]` or `{…}`), read straight from the
 * text. The `yaml` parser costs 3–9 s of CPU per MB of flow text; this reads the flow syntax in
 * which YAML 1.1 (go-yaml) and YAML 1.2 (the `yaml` package) agree on structure, and decodes it as
 * go-yaml v2 does (sigs.k8s.io/yaml, kubectl): scalars with the exact reader's rules, tags
 * (go-yaml-tags.ts), anchors and aliases (an alias names the last definition before it), merge
 * keys (`<<`, applied in order, a later one overriding earlier keys) and comments.
 * Anything outside the subset returns a failure and the collection is left to the `yaml` parser:
 * - keys are scalars, with properties (`&k`, `!!str`) or not, implicit or explicit (`? a : 1`,
 *   `? a`); an empty value (`{a: , b: &x }`), a key alone (`{a}`), a single pair in a sequence
 *   (`[a: 1, b]`, `[? a]`) and an empty item with properties (`[&x , !!str ]`) are read;
 * - plain scalars starting with a letter, digit or `._/~+$(=^`, or `-` before one of those, and
 *   quoted scalars, on one line or folded over several (go-yaml-flow-tokens.ts);
 * - a `#` only after a blank; tabs as blanks, but not in a line's indentation;
 * - no CR, control, surrogate or Unicode line-break character; every continuation line indented
 *   past the line the collection starts on (go-yaml-flow-lines.ts).
 * Errors go-yaml raises while decoding (an unknown anchor, `!!int a`) are kept in `error` and
 * thrown when the document's walk reaches the collection, where the `yaml` path throws them. So is
 * the one syntax error the reader knows YAML 1.2 does not raise: an implicit key whose `:` is more
 * than 1024 characters past its start or on a later line (go-yaml's simple-key rule).
 */
export interface FlowReading {
  /** Offset just past the closing bracket. */
  readonly end: number;
  readonly value: unknown;
  /** Notes and refusal in document order, as the `yaml` node walk would have made them. */
  readonly notes: string[];
  readonly refuses: string | undefined;
  /** Duplicate keys in the order the node walk finds them (inner mappings first). */
  readonly duplicates: PendingDuplicate[];
  /** Each anchor defined inside, at its last definition: aliases after the collection name these. */
  readonly anchors: ReadonlyMap<string, unknown>;
  /**
   * Anchors that aliases inside name before (or without) a definition inside: defined earlier in
   * the document. Without a `resolve`, such aliases read as null; the decoder reads the collection
   * again with one when its walk reaches it.
   */
  readonly external: ReadonlySet<string>;
  /** The first error go-yaml raises decoding the collection (the collection's syntax is fine). */
  readonly error: ExactDecodeError | undefined;
}

/** The value of an anchor defined before the collection; throws ExactDecodeError as go-yaml does (unknown, contains itself). */
export type ResolveAnchor = (name: string) => unknown;

interface MapFrame {
  readonly map: Record<string, unknown>;
  /** YAML types of keys that were not strings, by JSON key; absent means string. */
  types?: Map<string, string>;
  pending?: PendingDuplicate[];
  key: string;
  /** The current key was written before (explicitly, not by a merge). */
  repeated: boolean;
  /** The current key is `<<`. */
  merging: boolean;
  /** The current key is null: its entry is left out and the mapping marked (NULL_KEY in go-yaml-values.ts). */
  nullKey?: boolean;
  /** Keys written explicitly, once a merge has added others. */
  explicit?: Set<string>;
  /** A single pair in a flow sequence (`[a: 1]`): a mapping of one entry, closed by its value. */
  single?: boolean;
}

/** An open sequence is its array itself: nested lists allocate nothing more. */
type Frame = unknown[] | MapFrame;

const enum Want {
  /** After `[` or `,` in a sequence: a value, or `]` (a trailing comma is allowed). */
  Item,
  /** After `{` or `,` in a mapping: a key, or `}`. */
  Key,
  /** After `key:`: a value. */
  Value,
  /** After a complete entry: `,` or the closing bracket. */
  Next,
}

/** Where the reader gave up: text before it was read as the subset allows, so a collection opening there and still open fails here too. */
export interface FlowFailure {
  readonly failedAt: number;
}

/** The value an alias to an anchor outside has before the collection is read with `resolve`. */
const OUTSIDE = Symbol('anchor outside');
const MERGE_REFUSAL = 'map merge requires map or sequence of maps as the value';

/** Reads the collection opening at `start`; `lineIndent` is the indentation of its first line. */
/** `budget`: the document's count of merged entries (MergeBudget), which this collection's merges add to. */
export function readFlowCollection(text: string, start: number, lineIndent: number, resolve?: ResolveAnchor, budget: MergeBudget = { merged: 0 }): FlowReading | FlowFailure {
  const sink = { notes: [] as string[], refuses: undefined as string | undefined };
  const duplicates: PendingDuplicate[] = [];
  const anchors = new Map<string, unknown>();
  const external = new Set<string>();
  /** Anchored collections still open: an alias to one is go-yaml's "value contains itself". */
  const openAnchored = new Set<unknown>();
  /** Merges' lists (inMergeValue). */
  let mergeLists: Set<Frame> | undefined;
  /** Collections inside an item of a merge's list that is not a mapping: go-yaml decodes nothing there. */
  let unmerged: Set<Frame> | undefined;
  const stack: Frame[] = [];
  let error: ExactDecodeError | undefined;
  let want = Want.Value;
  let i = start;
  let result: unknown;
  let anchor: string | undefined;
  let tag: string | undefined;
  /** Where the current node's first property starts (an implicit key counts from there). */
  let propsStart = -1;
  /** The key being read follows `?`: it may run over lines and past 1024 characters, and stand alone in a sequence. */
  let explicitKey = false;
  const n = text.length;

  const fail = (e: unknown): null => {
    if (!(e instanceof ExactDecodeError)) throw e;
    error ??= e;
    return null;
  };

  /** Attaches a finished value to the open collection; then a `,` or a closing bracket is due. */
  const complete = (value: unknown, fromAlias: boolean): Want => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      result = value;
      return Want.Next;
    }
    if (Array.isArray(top)) top.push(value);
    else if (top.merging) {
      top.merging = false;
      merge(top, value, fromAlias);
    } else if (top.nullKey) {
      top.nullKey = false;
    } else {
      const key = top.key;
      if (top.repeated) (top.pending ??= []).push({ key, first: top.map[key], last: value });
      top.explicit?.add(key);
      setKey(top.map, key, value);
    }
    if (!Array.isArray(top) && top.single) {
      // The pair's value closes its one-entry mapping, which is then the sequence's item.
      stack.pop();
      return complete(top.map, false);
    }
    return Want.Next;
  };

  /** An empty value (`{a: , b: 1}`, `{a: }`, `[a: ]`), or an empty item with properties (`[&x , !!str ]`). */
  const emptyValueAllowed = (): boolean => {
    const top = stack[stack.length - 1];
    if (top === undefined) return false;
    if (want === Want.Value) return !Array.isArray(top);
    return want === Want.Item && (anchor !== undefined || tag !== undefined);
  };

  /** A node with no content: null for go-yaml, or its tag's empty value (`!!str` → "", `!!int` refused), anchored if it has an anchor. */
  const emptyNode = (): unknown => {
    let value: unknown = null;
    if (tag !== undefined && inMergeValue()) fail(new ExactDecodeError(MERGE_REFUSAL));
    else if (tag !== undefined && error === undefined) {
      try {
        value = taggedScalarValue(tag, true, '', sink);
      } catch (e) {
        value = fail(e);
      }
    }
    if (anchor !== undefined) anchors.set(anchor, value);
    anchor = tag = undefined;
    propsStart = -1;
    return value;
  };

  /**
   * The node being read is a merge's value, an item of a merge's list, or inside such an item that
   * is not a mapping: go-yaml refuses the merge before it decodes any scalar in a scalar or list
   * there (`{<<: !!int a}`, `{<<: [[{b: !!int a}]]}` are the merge error, not the tag's). Only the
   * mappings of a merge's list (and the mapping that is its value) are decoded.
   */
  const inMergeValue = (): boolean => {
    const top = stack[stack.length - 1];
    if (top === undefined) return false;
    if (!Array.isArray(top) && top.merging && want === Want.Value) return true;
    return mergeLists?.has(top) === true || unmerged?.has(top) === true;
  };

  /** Notes where a collection about to be opened stands for inMergeValue. */
  const opening = (frame: Frame): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) return;
    const isList = Array.isArray(frame);
    if (!Array.isArray(top) && top.merging && want === Want.Value) {
      if (isList) (mergeLists ??= new Set()).add(frame);
    } else if (mergeLists?.has(top)) {
      if (isList) (unmerged ??= new Set()).add(frame);
    } else if (unmerged?.has(top)) unmerged.add(frame);
  };

  /** A scalar's value with its properties, which it takes (the anchor names the value). */
  const scalarValue = (scalar: ScalarToken): unknown => {
    let value: unknown = null;
    if (inMergeValue()) fail(new ExactDecodeError(MERGE_REFUSAL));
    else if (error === undefined) {
      try {
        value = taggedScalarValue(tag, !scalar.quoted, scalar.text, sink);
      } catch (e) {
        value = fail(e);
      }
    }
    if (anchor !== undefined) anchors.set(anchor, value);
    anchor = tag = undefined;
    propsStart = -1;
    return value;
  };

  /** Makes `keyValue` the mapping's current key, as sigs.k8s.io/yaml names it, noting a key repeated or written with two types. */
  const setMapKey = (top: MapFrame, keyValue: unknown, floatKey = false): void => {
    let key = '';
    // A null key (`~`, `null`, `? : 1`) is refused by sigs.k8s.io/yaml only if its mapping is left
    // in the result. go-yaml's own reading of `?` with an empty key in a sequence (`[? : 1]` is its
    // syntax error) was applied to the text before (go-yaml-flow-empty-keys.ts).
    if (keyValue === null) {
      markNullKey(top.map);
      top.nullKey = true;
      return;
    }
    top.nullKey = false;
    // A collection key is refused: kept for the walk to throw.
    // After the first error only the syntax matters (an exception per item costs seconds per MB).
    if (error === undefined) {
      try {
        key = keyToString(keyValue, sink, floatKey);
      } catch (e) {
        fail(e);
      }
    }
    const keyType = typeof keyValue;
    const present = Object.hasOwn(top.map, key);
    top.repeated = top.explicit ? top.explicit.has(key) : present;
    // A key a merge copied counts too: go-yaml's map holds both typed keys (keepKeyTypes).
    if (present) {
      const earlier = top.types?.get(key) ?? 'string';
      if (earlier !== keyType) sink.notes.push(keyTypesNote(key, earlier, keyType));
    }
    if (keyType !== 'string') (top.types ??= new Map()).set(key, keyType);
    else top.types?.delete(key);
    top.key = key;
  };


  /** go-yaml's merge: a mapping (or an alias to one), or a sequence of them applied last to first so earlier ones win. */
  const merge = (frame: MapFrame, value: unknown, fromAlias: boolean): void => {
    // After an error (a merge past the cap) the reading is refused: nothing more is merged.
    if (error !== undefined) return;
    frame.explicit ??= new Set(Object.keys(frame.map));
    // An anchor outside: merged when the collection is read again with `resolve`.
    if (value === OUTSIDE || (Array.isArray(value) && value.includes(OUTSIDE))) return;
    const maps = isMapping(value) ? [value] : !fromAlias && Array.isArray(value) && value.every(isMapping) ? [...value].reverse() : undefined;
    if (maps === undefined) {
      fail(new ExactDecodeError(MERGE_REFUSAL));
      return;
    }
    // Counted before the copies are made (MAX_MERGED_ENTRIES); past the cap nothing more is merged.
    for (const map of maps) {
      budget.merged += Object.keys(map).length;
      if (budget.merged > MAX_MERGED_ENTRIES) {
        fail(new ExactDecodeError(MERGE_BOMB));
        return;
      }
    }
    for (const map of maps) {
      mergeTypes(frame, map);
      for (const [k, v] of Object.entries(map)) setKey(frame.map, k, v);
    }
    if (maps.some(hasNullKey)) markNullKey(frame.map);
  };

  /** The types of the keys a merge copies, noted where one meets a key of another type (keepKeyTypes). */
  const mergeTypes = (frame: MapFrame, map: object): void => {
    const copied = keyTypesOf(map);
    for (const key of Object.keys(map)) {
      const type = copied?.get(key) ?? 'string';
      const earlier = frame.types?.get(key) ?? (Object.hasOwn(frame.map, key) ? 'string' : undefined);
      if (earlier !== undefined && earlier !== type) sink.notes.push(keyTypesNote(key, earlier, type));
      if (type !== 'string') (frame.types ??= new Map()).set(key, type);
      else frame.types?.delete(key);
    }
  };

  const aliasValue = (name: string): unknown => {
    if (anchors.has(name)) {
      const value = anchors.get(name);
      return openAnchored.has(value) ? fail(new ExactDecodeError(`anchor '${name}' value contains itself`)) : value;
    }
    if (!resolve) {
      external.add(name);
      return OUTSIDE;
    }
    if (error !== undefined) return null;
    try {
      return resolve(name);
    } catch (e) {
      return fail(e);
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === 10) {
      const next = nextLine(text, i + 1, lineIndent);
      if (next < 0) return { failedAt: i };
      i = next;
      continue;
    }
    if (c === 35 /* # */) {
      // A comment runs to the end of its line; glued to a token (`1,#`) YAML versions differ.
      const before = text.charCodeAt(i - 1);
      if (!isBlank(before) && before !== 10) return { failedAt: i };
      const lineEnd = text.indexOf('\n', i);
      i = lineEnd < 0 ? n : lineEnd;
      continue;
    }
    if (c === 38 /* & */ || c === 33 /* ! */) {
      // Properties of the next node, in either order, once each.
      if (want === Want.Next || stack.length === 0) return { failedAt: i };
      if (anchor === undefined && tag === undefined) propsStart = i;
      if (c === 38) {
        const read = anchor === undefined ? readName(text, i) : undefined;
        if (!read || text.charCodeAt(read.end) === 44 || text.charCodeAt(read.end) === 93 || text.charCodeAt(read.end) === 125) return { failedAt: i };
        anchor = read.name;
        i = read.end;
      } else {
        const read = tag === undefined ? readTag(text, i) : undefined;
        if (!read) return { failedAt: i };
        tag = read.tag;
        i = read.end;
      }
      continue;
    }
    if (c === 91 /* [ */ || c === 123 /* { */) {
      if (want === Want.Key || want === Want.Next) return { failedAt: i };
      // A tag on a collection changes nothing for go-yaml v2 (kubectl reads `!!str [1]` as [1]).
      tag = undefined;
      propsStart = -1;
      let opened: Frame;
      let object: unknown;
      if (c === 91) {
        opened = object = [];
        opening(opened);
        want = Want.Item;
      } else {
        opened = { map: {}, key: '', repeated: false, merging: false };
        opening(opened);
        object = opened.map;
        want = Want.Key;
      }
      if (anchor !== undefined) {
        // go-yaml registers an anchor when its node starts.
        anchors.set(anchor, object);
        openAnchored.add(object);
        anchor = undefined;
      }
      stack.push(opened);
      i++;
      continue;
    }
    if (c === 93 /* ] */ || c === 125 /* } */) {
      if (emptyValueAllowed()) want = complete(emptyNode(), false);
      const top = stack[stack.length - 1];
      if (top === undefined || want === Want.Value || anchor !== undefined || tag !== undefined || explicitKey) return { failedAt: i };
      const isSeq = Array.isArray(top);
      if (isSeq !== (c === 93) || (!isSeq && want === Want.Item) || (isSeq && want === Want.Key)) return { failedAt: i };
      stack.pop();
      let value: unknown;
      if (isSeq) value = top;
      else {
        value = top.map;
        for (const duplicate of top.pending ?? []) duplicates.push({ ...duplicate, owner: top.map });
        if (top.types !== undefined && top.types.size > 0) keepKeyTypes(top.map, top.types);
      }
      openAnchored.delete(value);
      want = complete(value, false);
      i++;
      if (stack.length === 0) return { end: i, value: result, notes: sink.notes, refuses: sink.refuses, duplicates, anchors, external, error };
      continue;
    }
    if (c === 44 /* , */) {
      if (emptyValueAllowed()) want = complete(emptyNode(), false);
      if (want !== Want.Next || anchor !== undefined || tag !== undefined || explicitKey) return { failedAt: i };
      const top = stack[stack.length - 1];
      if (top === undefined) return { failedAt: i };
      want = Array.isArray(top) ? Want.Item : Want.Key;
      i++;
      continue;
    }
    if (want === Want.Next || stack.length === 0) return { failedAt: i };
    if (c === 63 /* ? */ && (want === Want.Key || want === Want.Item) && !explicitKey && anchor === undefined && tag === undefined) {
      // `? key`: an explicit key (go-yaml-flow-plain.ts gave a glued `?x` its blank); in a sequence, a pair's.
      const after = text.charCodeAt(i + 1);
      if (!isBlankOrBreak(after)) return { failedAt: i };
      if (want === Want.Item) {
        const single: MapFrame = { map: {}, key: '', repeated: false, merging: false, single: true };
        opening(single);
        stack.push(single);
      }
      explicitKey = true;
      want = Want.Key;
      i++;
      continue;
    }
    if (want === Want.Key && explicitKey && c === 58 /* : */ && isBlankOrBreak(text.charCodeAt(i + 1))) {
      // `? : value`: an empty key, null (sigs.k8s.io/yaml refuses it) unless tagged (`? !!str : 1`).
      setMapKey(stack[stack.length - 1] as MapFrame, emptyNode());
      explicitKey = false;
      i++;
      want = Want.Value;
      continue;
    }
    if (c === 42 /* * */) {
      // An alias: a value, never a key, with no properties of its own.
      const read = readName(text, i);
      if (!read || want === Want.Key || anchor !== undefined || tag !== undefined) return { failedAt: i };
      i = read.end;
      want = complete(aliasValue(read.name), true);
      continue;
    }
    if (want === Want.Key && c === 60 /* < */ && text.charCodeAt(i + 1) === 60) {
      // `<<: `, the merge key (plain only: a quoted "<<" is an ordinary key).
      if (explicitKey || anchor !== undefined || tag !== undefined) return { failedAt: i };
      let colon = i + 2;
      while (isBlank(text.charCodeAt(colon))) colon++;
      if (text.charCodeAt(colon) !== 58 || !isBlankOrBreak(text.charCodeAt(colon + 1))) return { failedAt: i };
      (stack[stack.length - 1] as MapFrame).merging = true;
      i = colon + 1;
      want = Want.Value;
      continue;
    }
    // A scalar.
    const scalar = readScalar(text, i, lineIndent);
    if (scalar === undefined) return { failedAt: i };
    if (want === Want.Item && isPairKey(text, scalar.end)) {
      // `[a: 1]`: a single pair in a sequence; its key (properties included) is read again as a mapping's key.
      const single: MapFrame = { map: {}, key: '', repeated: false, merging: false, single: true };
      opening(single);
      stack.push(single);
      want = Want.Key;
      continue;
    }
    if (scalar.refuses !== undefined) sink.refuses ??= scalar.refuses;
    if (want === Want.Key) {
      const top = stack[stack.length - 1] as MapFrame;
      const keyStart = propsStart >= 0 ? propsStart : i;
      // A key go-yaml reads as a float is formatted as one (`123456789.0` is `1.2345679e+08`), as in block mappings.
      const floatKey = tag !== undefined ? tag === `${TAG_PREFIX}float` : !scalar.quoted && resolveGoPlain(scalar.text).tag === 'float';
      setMapKey(top, scalarValue(scalar), floatKey);
      i = scalar.end;
      // `key: ` on the key's line (an explicit key's `:` may come on a later one): the `:` must
      // follow, then a blank, except after a quoted key (`"a":1`, as in JSON).
      while (isBlank(text.charCodeAt(i))) i++;
      if (explicitKey && text.charCodeAt(i) === 10) {
        const next = nextLine(text, i + 1, lineIndent);
        if (next < 0) return { failedAt: i };
        i = next;
      }
      const next = text.charCodeAt(i);
      const alone = top.single ? next === 44 || next === 93 : next === 44 || next === 125;
      if (alone && (explicitKey || !top.single)) {
        // A key alone (`{a, b: 1}`, `{a}`, `[? a]`): its value is null for go-yaml.
        if (scalar.lines && !explicitKey) return { failedAt: i };
        explicitKey = false;
        want = complete(null, false);
        continue;
      }
      if (next !== 58 || !(isBlankOrBreak(text.charCodeAt(i + 1)) || scalar.quoted)) return { failedAt: i };
      // go-yaml's simple-key rule (go-yaml-simple-keys.ts): a syntax error the `yaml` package does not raise.
      if (!explicitKey && error === undefined && (scalar.lines || !isSimpleKey(text, keyStart, i))) error = staleKeyError(text, i, top.single === true);
      explicitKey = false;
      i++;
      want = Want.Value;
      continue;
    }
    i = scalar.end;
    want = complete(scalarValue(scalar), false);
  }
  return { failedAt: i };
}

/** After a scalar in a sequence, `: ` (or `:` at the line's end) on its line makes it a pair's key. */
function isPairKey(text: string, from: number): boolean {
  let i = from;
  while (isBlank(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 58 && isBlankOrBreak(text.charCodeAt(i + 1));
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Skips blank lines; returns the offset of the next content, or -1 when its line may not continue the collection (go-yaml-flow-lines.ts). */
function nextLine(text: string, from: number, lineIndent: number): number {
  let i = from;
  for (;;) {
    if (!continuationLineOk(text, i, lineIndent)) return -1;
    while (isBlank(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 10) return i;
    i++;
  }
}
