import { BoundedCache } from '../core/bounded-cache.js';
import type { Indicators } from './indicators.js';
import { drain, type ArgvUnit, type RawUnit, type ScanState, type ScriptUnit, type TextUnit } from './scan-queue.js';
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
}

const memos = new WeakMap<Indicators, BoundedCache<string, Reading>>();

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
  const sites = root.kind === 'argv' ? root.argv.map((element) => element.site) : [root.site];
  const texts = root.kind === 'argv' ? root.argv.map((element) => element.text) : [root.text];
  const length = texts.reduce((sum, text) => sum + text.length, 0);
  if (root.depth !== 0 || length > MAX_REMEMBERED_CHARS || sites.some((site) => site.secret)) {
    drain(state, root, read);
    return;
  }
  let memo = memos.get(state.indicators);
  if (!memo) {
    memo = new BoundedCache(CAPACITY);
    memos.set(state.indicators, memo);
  }
  const key = JSON.stringify([root.kind, root.layer, texts]);
  const known = memo.get(key);
  if (known && state.budget.take(known.bytes)) {
    for (const s of known.signals) state.signals.push({ kind: s.kind, token: s.token, site: sites[s.site]!, layer: s.layer, weight: s.weight });
    return;
  }
  const before = { signals: state.signals.length, bytes: state.budget.remainingBytes, cutShort: state.cutShort.length, exhausted: state.budget.exhausted.length };
  drain(state, root, read);
  if (state.cutShort.length !== before.cutShort || state.budget.exhausted.length !== before.exhausted) return;
  if (!readBefore(key)) return;
  const remembered: RememberedSignal[] = [];
  for (const found of state.signals.slice(before.signals)) {
    const site = sites.indexOf(found.site);
    if (site === -1) return;
    remembered.push({ kind: found.kind, token: found.token, site, layer: found.layer, weight: found.weight });
  }
  memo.set(key, { signals: remembered, bytes: before.bytes - state.budget.remainingBytes });
}
