import { MAX_SEARCH_DEPTH, type Budget } from '../core/budget.js';
import { redactCredentialAssignments, redactUrlCredentials } from '../core/redact.js';
import type { DecodedText } from './decode.js';
import type { Indicators } from './indicators.js';
import { signalWeight, type Signal, type SignalKind, type Site } from './signals.js';

/**
 * The threat scanner's work queue. Text found inside text (an `sh -c` script, an `eval`, a base64
 * payload, a script with its variables expanded) becomes a unit on a queue instead of a recursive
 * call, and one loop drains the queue under the object's budget: a depth limit, the byte budget for
 * derived text and the time budget. Whatever stops the loop is recorded, never dropped silently.
 */

export interface ArgvElement {
  readonly text: string;
  readonly site: Site;
}

interface UnitBase {
  /**
   * The chain of layers the text was reached through, as evidence shows it ("after resolving
   * $(POOL), base64 layer 2"); empty for text exactly as written in the object.
   */
  readonly layer: string;
  /** How many scripts, decodings and expansions deep the text sits; the object's own text is 0. */
  readonly depth: number;
}

/** A container's command and args, each element with its own site. */
export interface ArgvUnit extends UnitBase {
  readonly kind: 'argv';
  readonly argv: readonly ArgvElement[];
}

/** One simple command given as words (Python's `subprocess.run([...])`). */
export interface CommandUnit extends UnitBase {
  readonly kind: 'command';
  readonly words: readonly string[];
  readonly site: Site;
}

/** Text a shell runs. */
export interface ScriptUnit extends UnitBase {
  readonly kind: 'script';
  readonly text: string;
  readonly site: Site;
}

/** Text searched for indicators without command structure (env values, Python, configs). */
export interface RawUnit extends UnitBase {
  readonly kind: 'raw';
  readonly text: string;
  readonly site: Site;
}

/** A decoded payload, read as a script; `layer` is the chain of the text it was decoded from. */
export interface DecodedUnit extends UnitBase {
  readonly kind: 'decoded';
  readonly decoded: DecodedText;
  readonly site: Site;
}

export type TextUnit = ArgvUnit | CommandUnit | ScriptUnit | RawUnit | DecodedUnit;

/** Structural limits of the queue; bytes and time come from the object's `Budget`. */
export const SCAN_LIMITS = {
  /** Scripts in scripts, decoded layers and expansions are followed this deep. */
  maxDepth: 8,
  /**
   * Indicator patterns run over a text in slices of this many characters (overlapping by
   * `sliceOverlap`), so every pass stays short and the whole text is read in linear time.
   */
  sliceChars: 256 * 1024,
  sliceOverlap: 4 * 1024,
  /** A decoded layer or an expanded script is built up to this many characters; beyond is reported. */
  maxLayerChars: 1024 * 1024,
  /**
   * One text is read up to this many characters, and beyond it the cut is a finding. The API
   * server stores no object over 1.5 MiB (etcd's default request limit), so only files and
   * hostile input reach it.
   */
  maxTextChars: 1536 * 1024,
} as const;

/** Reasons a scan stops early, worded for the report's reader. */
export const CUT_SHORT = {
  depth: `text nested more than ${SCAN_LIMITS.maxDepth} levels deep (scripts in scripts, encoded payloads, expanded variables) was not scanned`,
  bytes: 'the byte budget for decoded and expanded text ran out; the rest was not decoded or scanned',
  time: 'the time budget ran out before all text was scanned',
  length: `a decoded or expanded text was longer than ${SCAN_LIMITS.maxLayerChars / 1024} KiB; only its first ${SCAN_LIMITS.maxLayerChars / 1024} KiB were scanned`,
  text: `a text was longer than ${SCAN_LIMITS.maxTextChars / 1024} KiB; only its first ${SCAN_LIMITS.maxTextChars / 1024} KiB were examined`,
  candidates: 'a text held more readable encoded runs than are decoded per text; the least suspicious were not decoded',
  python: 'a text made Python expression decoding re-read it beyond its cap; the rest was not evaluated',
  fieldDepth: `fields nested more than ${MAX_SEARCH_DEPTH} levels deep were not searched`,
  files: 'a script wrote or ran more files than are followed per text; the rest were not followed',
  calls: 'a text ran more commands from code (os.system, subprocess, exec) than are followed per text; the rest were not followed',
  oneLiner: 'a perl or awk one-liner (pack, printf "%c") built more than 256 KiB of text; the rest was not decoded',
  runtimeEnv: 'a Ray job runtimeEnvYAML over 256 KiB was searched as text but not parsed: its pip, working_dir and py_modules URLs were not judged as downloads',
  entries: 'a Ray job held more metadata entries, requirements or modules than are read per list; the rest were not read',
} as const;

/** Shared state while one object is scanned. */
export interface ScanState {
  readonly indicators: Indicators;
  readonly budget: Budget;
  readonly signals: Signal[];
  /** Why this scan stopped early, once per reason; each is also recorded on the budget. */
  readonly cutShort: string[];
  /** The unit being drained: where its signals sort and which decoded layers enclose it. */
  cursor?: Cursor;
  /** Large decoded layers already queued for this object: the same payload at a second site is not read again. */
  readonly largeLayers: Set<string>;
  /** The unit being read is being recorded for replay (scan-memo.ts). */
  recording?: UnitRecording;
  /**
   * Every cut so far, repeats included: `cutShort` keeps one entry per reason, so a reading cut
   * for a reason already recorded leaves that list unchanged, and the memo must still see it.
   */
  cuts: number;
  /** Large decoded layers met so far, the skipped repeats included: a reading that met one depends on the object's earlier sites. */
  largeLayersMet: number;
}

/**
 * What reading one unit produced, in order: each signal and each unit it queued. Anything at
 * another site than the unit's own, and any cut, spoils it: such a reading is never replayed.
 */
export interface UnitRecording {
  readonly site: Site;
  readonly events: RecordedEvent[];
  /** Bytes the queued units drew from the budget (enqueue pays for derived script and raw text). */
  queuedBytes: number;
  spoiled: boolean;
}

export type RecordedEvent = { readonly kind: SignalKind; readonly token: string; readonly layer: string } | { readonly unit: TextUnit };

/** A decoded layer at least this long is read once per object, at the first site it appears. */
const LARGE_LAYER_CHARS = 64 * 1024;

export function createScanState(indicators: Indicators, budget: Budget): ScanState {
  return { indicators, budget, signals: [], cutShort: [], largeLayers: new Set(), cuts: 0, largeLayersMet: 0 };
}

/**
 * Records that the scan was cut short: on the object's budget (a coverage entry), for evidence,
 * and as an `unexamined` signal at the text being read. A cap is never a way to hide: text left
 * unread makes the object suspicious on its own (at least medium), with the reason.
 */
export function cutShort(state: ScanState, reason: string, site?: Site): void {
  if (state.recording) state.recording.spoiled = true;
  state.cuts++;
  state.budget.exhaust(reason);
  if (state.cutShort.includes(reason)) return;
  state.cutShort.push(reason);
  const unit = state.cursor?.item.unit;
  const at = site ?? (unit === undefined ? undefined : unit.kind === 'argv' ? unit.argv[0]?.site : unit.site) ?? OBJECT_SITE;
  record(state, 'unexamined', reason, at, unit?.layer ?? '');
  // Kept in reading order with the unit's other signals.
  if (state.cursor) state.cursor.marks.push({ owner: state.cursor.item, seq: state.cursor.next++ });
}

/** Where a cut is reported when no text was being read (workflow fields searched for parameters). */
const OBJECT_SITE: Site = { where: 'the object', path: 'spec' };

/**
 * A queued unit and where it sits in reading order: `seq` counts the signals and units its parent
 * had produced when it appeared. Following `parent` links gives the order a depth-first reading
 * would have had; sorting signals by it keeps evidence in reading order (outer text first, a
 * nested script where it appears) although the queue reads breadth-first.
 */
interface Pending {
  readonly unit: TextUnit;
  readonly parent: Pending | undefined;
  readonly seq: number;
  /** Decoded layers enclosing this unit, innermost last. */
  readonly watches: readonly DecodedWatch[];
}

/** A decoded layer waiting for its first signal: then the encoding itself becomes evidence. */
interface DecodedWatch {
  readonly layerUnit: Pending;
  readonly encoding: string;
  readonly sample: string;
  readonly site: Site;
  readonly layer: string;
  fired: boolean;
  /** Index in `state.signals` of the obfuscation signal this watch recorded, once fired. */
  signalIndex?: number;
  /** Set when this layer, or a layer decoded from it, holds a credential: its encoded sample would carry it. */
  holdsCredential: boolean;
}

/** Where one signal sits in reading order: the `seq`-th thing its unit produced. */
interface Mark {
  readonly owner: Pending;
  readonly seq: number;
}

/** One drain in progress: the queue, the unit being read and the marks of the signals found. */
interface Cursor {
  readonly queue: Pending[];
  /** Marks of the signals added since the drain started, in the order they were added. */
  readonly marks: Mark[];
  item: Pending;
  next: number;
}

export function signal(state: ScanState, kind: SignalKind, token: string, site: Site, layer: string): void {
  const cursor = state.cursor;
  const recording = state.recording;
  if (recording) {
    if (site === recording.site) recording.events.push({ kind, token, layer });
    else recording.spoiled = true;
  }
  record(state, kind, token, site, layer);
  if (!cursor) return;
  cursor.marks.push({ owner: cursor.item, seq: cursor.next++ });
  for (const watch of cursor.item.watches) {
    if (watch.fired) continue;
    watch.fired = true;
    watch.signalIndex = state.signals.length;
    record(state, 'obfuscation', obfuscationToken(watch), watch.site, watch.layer);
    // Right after everything found inside the layer, as if it had been read to its end first.
    cursor.marks.push({ owner: watch.layerUnit, seq: Number.POSITIVE_INFINITY });
  }
}

function record(state: ScanState, kind: SignalKind, token: string, site: Site, layer: string): void {
  state.signals.push({ kind, token: site.secret ? '' : token, site, layer, weight: signalWeight(kind) });
}

/**
 * Queues text found while reading the current unit. Refused, with the reason recorded, when it
 * sits too deep or its text would overrun the byte budget. Decoded layers were paid for by the
 * decoder; the object's own text (depth 0) is not derived and costs nothing.
 */
export function enqueue(state: ScanState, unit: TextUnit): void {
  const cursor = state.cursor;
  if (!cursor) throw new Error('enqueue outside a drain');
  const recording = state.recording;
  if (recording) {
    if (unit.kind !== 'argv' && unit.site === recording.site) recording.events.push({ unit });
    else recording.spoiled = true;
  }
  if (unit.depth > SCAN_LIMITS.maxDepth) {
    cutShort(state, CUT_SHORT.depth);
    return;
  }
  if (unit.depth > 0 && (unit.kind === 'script' || unit.kind === 'raw')) {
    if (!state.budget.take(unit.text.length)) {
      cutShort(state, CUT_SHORT.bytes);
      return;
    }
    if (recording) recording.queuedBytes += unit.text.length;
  }
  const parent = cursor.item;
  if (unit.kind === 'decoded' && unit.decoded.text.length >= LARGE_LAYER_CHARS) {
    state.largeLayersMet++;
    const key = `${unit.layer}\u0000${unit.decoded.encoding}\u0000${unit.decoded.text}`;
    if (state.largeLayers.has(key)) return;
    state.largeLayers.add(key);
  }
  if (unit.kind !== 'decoded') {
    cursor.queue.push({ unit, parent, seq: cursor.next++, watches: parent.watches });
    return;
  }
  const watches: DecodedWatch[] = [...parent.watches];
  const pending: Pending = { unit, parent, seq: cursor.next++, watches };
  watches.push({ layerUnit: pending, encoding: unit.decoded.encoding, sample: unit.decoded.sample, site: unit.site, layer: unit.layer, fired: false, holdsCredential: false });
  cursor.queue.push(pending);
  if (holdsCredential(unit.decoded.text)) for (const watch of watches) hideSample(state, watch);
}

/**
 * The encoded sample is the payload's first characters as written: decoding it gives back the
 * start of the text, so a sample of a layer whose text holds a URL password or a `--password=`
 * flag (or of any layer that encloses one) can carry the credential, which the decoded evidence
 * masks. Such a sample is not printed; the encoding and where it sits are enough to find it.
 */
function obfuscationToken(watch: DecodedWatch): string {
  return watch.holdsCredential ? `${watch.encoding} (encoded sample not shown: its decoded text holds a credential)` : `${watch.encoding} ${watch.sample}`;
}

function holdsCredential(text: string): boolean {
  return redactUrlCredentials(redactCredentialAssignments(text)) !== text;
}

/** Marks the watch, and rewrites its signal when it already fired (an enclosing layer fires before its inner layer is read). */
function hideSample(state: ScanState, watch: DecodedWatch): void {
  if (watch.holdsCredential) return;
  watch.holdsCredential = true;
  const index = watch.signalIndex;
  const fired = index === undefined ? undefined : state.signals[index];
  if (fired && fired.kind === 'obfuscation' && fired.token !== '') state.signals[index as number] = { ...fired, token: obfuscationToken(watch) };
}

/**
 * Reads `root` and everything queued while reading it, one unit at a time, until the queue is
 * empty or the time budget runs out. Signals found before the budget ran out are kept.
 */
export function drain(state: ScanState, root: TextUnit, read: (unit: TextUnit, state: ScanState) => void): void {
  if (state.cursor) throw new Error('drain is not re-entrant: queue nested text with enqueue()');
  const start = state.signals.length;
  const first: Pending = { unit: root, parent: undefined, seq: 0, watches: [] };
  const cursor: Cursor = { queue: [first], marks: [], item: first, next: 0 };
  state.cursor = cursor;
  try {
    for (let i = 0; i < cursor.queue.length; i++) {
      if (state.budget.timeUp()) {
        cutShort(state, CUT_SHORT.time);
        break;
      }
      cursor.item = cursor.queue[i] as Pending;
      cursor.next = 0;
      read(cursor.item.unit, state);
    }
  } finally {
    state.cursor = undefined;
    if (cursor.queue.length > 1 && cursor.marks.length > 1) restoreReadingOrder(state.signals, start, cursor.marks);
  }
}

function restoreReadingOrder(signals: Signal[], start: number, marks: readonly Mark[]): void {
  const added = signals.slice(start).map((signal, i) => ({ signal, key: orderKey(marks[i] as Mark) }));
  added.sort((a, b) => compareKeys(a.key, b.key));
  added.forEach((entry, i) => {
    signals[start + i] = entry.signal;
  });
}

function orderKey(mark: Mark): number[] {
  const key = [mark.seq];
  for (let unit: Pending | undefined = mark.owner; unit?.parent; unit = unit.parent) key.unshift(unit.seq);
  return key;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}
