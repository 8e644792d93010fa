import { GenerationalCache } from './generational-cache.js';
import type { Indicators } from './indicators.js';
import { drain, enqueue, SCAN_LIMITS, signal, type ArgvUnit, type DecodedUnit, type RawUnit, type RecordedEvent, type ScanState, type ScriptUnit, type TextUnit, type UnitRecording } from './scan-queue.js';
import type { SignalKind } from './signals.js';

/**
 * Pipeline pods repeat themselves: every Argo step has the same `init` and `wait` arguments, and the
 * steps of one run share their scripts. What a text yields depends only on the text, how it is
 * read and the indicators, so a finished reading is kept and replayed onto the next object's sites.
 * Kept only when the reading was complete (no budget stop), every signal sits at one of the
 * object's own sites, and no site is a Secret's: nothing secret is ever held here.
 */

/** Texts longer than this are read afresh each time: the memo must stay small. */
const MAX_REMEMBERED_CHARS = 8 * 1024;
const CAPACITY = 2_048;

interface RememberedSignal {
  readonly kind: SignalKind;
  readonly token: string;
  /** Index of the root's site the signal sat at. */
  readonly site: number;
  readonly layer: string;
  readonly weight: number;
}

interface Reading {
  readonly signals: readonly RememberedSignal[];
  /** Derived-text bytes the reading drew from the budget. */
  readonly bytes: number;
  /** The budget left when the reading was made: decoders size their caps from it. */
  readonly remainingAtReading: number;
}

const memos = new WeakMap<Indicators, GenerationalCache<string, Reading>>();

/**
 * A text is remembered from its second reading on. Most texts seen once (the KFP driver's per-run
 * JSON, a step's unique script) are never seen again, and keeping each for 2,048 later readings
 * made the young-generation collector copy it into the old generation, where it died: on 20,000
 * pipeline pods that was most of what the threat rule allocated and kept. The doorkeeper is a
 * table of key hashes (a collision only means remembering a text on its first reading), so
 * noting a text allocates nothing.
 */
const DOORKEEPER_SLOTS = 8_192;
const seenBefore = new Int32Array(DOORKEEPER_SLOTS);

/** Whether `key` (probably) was read before; notes it either way. FNV-1a over the UTF-16 units. */
export function readBefore(key: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  // 0 marks an empty slot, so a hash of 0 is stored as 1.
  const stored = hash === 0 ? 1 : hash;
  const slot = (hash >>> 0) % DOORKEEPER_SLOTS;
  const seen = seenBefore[slot] === stored;
  seenBefore[slot] = stored;
  return seen;
}

type RootUnit = ArgvUnit | ScriptUnit | RawUnit;

/** `drain` for a unit of the object's own text, replaying a remembered reading when there is one. */
export function drainRemembered(state: ScanState, root: RootUnit, read: (unit: TextUnit, state: ScanState) => void): void {
  const key = root.depth === 0 ? rootKey(root) : undefined;
  if (key === undefined) {
    drain(state, root, read);
    return;
  }
  const sites = root.kind === 'argv' ? root.argv.map((element) => element.site) : [root.site];
  let memo = memos.get(state.indicators);
  if (!memo) {
    memo = new GenerationalCache(CAPACITY);
    memos.set(state.indicators, memo);
  }
  const known = memo.get(key);
  if (known && replaysExactly(known, state.budget.remainingBytes)) {
    state.budget.take(known.bytes);
    for (const s of known.signals) state.signals.push({ kind: s.kind, token: s.token, site: sites[s.site]!, layer: s.layer, weight: s.weight });
    return;
  }
  const before = { signals: state.signals.length, bytes: state.budget.remainingBytes, cuts: state.cuts, exhausted: state.budget.exhausted.length, largeLayersMet: state.largeLayersMet };
  drain(state, root, read);
  // A reading cut short is partial even when its reason was recorded before (the object's byte
  // budget already spent, its time already up): replayed onto another object it would hide text.
  if (state.cuts !== before.cuts || state.budget.exhausted.length !== before.exhausted) return;
  // A large layer is read once per object (scan-queue.ts): a replay would not mark it read, and a
  // reading that skipped one as already read elsewhere in this object lacks its signals.
  if (state.largeLayersMet !== before.largeLayersMet) return;
  if (!readBefore(key)) return;
  const remembered: RememberedSignal[] = [];
  for (const found of state.signals.slice(before.signals)) {
    const site = sites.indexOf(found.site);
    if (site === -1) return;
    remembered.push({ kind: found.kind, token: found.token, site, layer: found.layer, weight: found.weight });
  }
  memo.set(key, { signals: remembered, bytes: before.bytes - state.budget.remainingBytes, remainingAtReading: before.bytes });
}

/**
 * The memo key of the object's own text, or undefined when it is not remembered (too long, or a
 * Secret's). Each part is length-prefixed, so no two different units share a key.
 */
function rootKey(root: RootUnit): string | undefined {
  if (root.kind !== 'argv') {
    if (root.text.length > MAX_REMEMBERED_CHARS || root.site.secret) return undefined;
    return `${root.kind}:${root.layer.length}:${root.layer}${root.text}`;
  }
  let length = 0;
  let key = `argv:${root.layer.length}:${root.layer}`;
  for (const element of root.argv) {
    length += element.text.length;
    if (length > MAX_REMEMBERED_CHARS || element.site.secret) return undefined;
    key += `${element.text.length}:${element.text}`;
  }
  return key;
}

/**
 * The same memo one level down: a unit found inside the object's text (the launcher's nested
 * `sh -ec '…'`, the `sh` and `-c` words of every step) repeats across pods even when the text
 * around it does not (a step's script names its run and execution ids). Reading a script, raw or
 * decoded unit depends only on its text, kind, layer and depth: every signal it gives and every
 * unit it queues sits at its own site. What it gave is replayed in the same order through
 * `signal` and `enqueue`, so decoded-layer evidence, reading order, depth and byte accounting
 * are those of a fresh reading; the units it queued are then read (or replayed) in turn.
 */
interface UnitReading {
  readonly events: readonly RecordedEvent[];
  /** All bytes the reading drew, and those drawn outside `enqueue` (decoders paying for layers). */
  readonly bytes: number;
  readonly directBytes: number;
  /** The budget left when the reading was made: decoders size their caps from it. */
  readonly remainingAtReading: number;
}

/** Units whose queued text together is longer than this are not kept: the memo must stay small. */
const MAX_REMEMBERED_QUEUED_CHARS = 16 * 1024;
const unitMemos = new WeakMap<Indicators, GenerationalCache<string, UnitReading>>();

type ReadUnit = ScriptUnit | RawUnit | DecodedUnit;

/** Reads `unit` with `read`, or replays a reading of the same unit made for another site. */
export function readRememberedUnit(state: ScanState, unit: ReadUnit, read: (unit: ReadUnit, state: ScanState) => void): void {
  const text = unit.kind === 'decoded' ? unit.decoded.text : unit.text;
  if (text.length > MAX_REMEMBERED_CHARS || unit.site.secret || state.recording) {
    read(unit, state);
    return;
  }
  let memo = unitMemos.get(state.indicators);
  if (!memo) {
    memo = new GenerationalCache(CAPACITY);
    unitMemos.set(state.indicators, memo);
  }
  const key = unit.kind === 'decoded' ? `decoded\u0000${unit.layer}\u0000${unit.depth}\u0000${unit.decoded.encoding}\u0000${text}` : `${unit.kind}\u0000${unit.layer}\u0000${unit.depth}\u0000${text}`;
  const known = memo.get(key);
  const remaining = state.budget.remainingBytes;
  if (known && replaysExactly(known, remaining)) {
    state.budget.take(known.directBytes);
    for (const event of known.events) {
      if ('unit' in event) enqueue(state, { ...event.unit, site: unit.site } as TextUnit);
      else signal(state, event.kind, event.token, unit.site, event.layer);
    }
    return;
  }
  const recording: UnitRecording = { site: unit.site, events: [], queuedBytes: 0, spoiled: false };
  const exhausted = state.budget.exhausted.length;
  state.recording = recording;
  try {
    read(unit, state);
  } finally {
    state.recording = undefined;
  }
  if (recording.spoiled || state.budget.exhausted.length !== exhausted || !readBefore(key)) return;
  let queuedChars = 0;
  const events = recording.events.map((event): RecordedEvent => {
    if (!('unit' in event)) return event;
    queuedChars += event.unit.kind === 'decoded' ? event.unit.decoded.text.length : event.unit.kind === 'command' ? event.unit.words.join(' ').length : event.unit.kind === 'argv' ? 0 : event.unit.text.length;
    // The site is the replaying object's; the first object's is not kept alive by the memo.
    const { site: _site, ...rest } = event.unit as Exclude<TextUnit, ArgvUnit>;
    return { unit: rest as TextUnit };
  });
  if (queuedChars > MAX_REMEMBERED_QUEUED_CHARS) return;
  const bytes = remaining - state.budget.remainingBytes;
  memo.set(key, { events, bytes, directBytes: bytes - recording.queuedBytes, remainingAtReading: remaining });
}

/**
 * Whether a fresh reading with `remaining` bytes left would do exactly what the remembered one
 * did: every draw it made still fits, and the caps decoders size from the budget (Python
 * expression decoding reads up to min(remaining, one layer)) are no smaller than they were.
 */
function replaysExactly(known: { readonly bytes: number; readonly remainingAtReading: number }, remaining: number): boolean {
  if (remaining < known.bytes) return false;
  return remaining >= known.remainingAtReading || remaining - known.bytes >= SCAN_LIMITS.maxLayerChars;
}
