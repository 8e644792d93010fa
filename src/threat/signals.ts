import type { Severity } from '../core/severity.js';
import { requiredText, shippedList } from '../data/list-file.js';

export type SignalKind =
  | 'known-miner-image'
  | 'miner-image-name'
  | 'miner-command-line'
  | 'compromised-package'
  | 'dropper-host'
  | 'scheduled-download'
  | 'rival-kill'
  | 'stratum-url'
  | 'pool-host'
  | 'pool-web'
  | 'pool-port'
  | 'wallet'
  | 'miner-binary'
  | 'miner-download'
  | 'miner-flag'
  | 'mining-algorithm'
  | 'sigma-string'
  | 'miner-config'
  | 'download-exec'
  | 'raw-ip-download'
  | 'campaign-pattern'
  | 'gpu-request'
  | 'obfuscation'
  | 'unexamined';

/** Where a piece of text came from, in words and as a field path of the scanned object. */
export interface Site {
  /** e.g. `container "miner" args[0]`, `ConfigMap ml/miner-conf key "config.json"`. */
  readonly where: string;
  readonly path: string;
  /** Text from a Secret: evidence names the Secret and key, never the matched value. */
  readonly secret?: boolean;
}

export interface Signal {
  readonly kind: SignalKind;
  /** The matched token, safe to print (never set for Secret text). */
  readonly token: string;
  readonly site: Site;
  /** How the text was reached, e.g. `base64 layer 1` or `after resolving $(POOL)`; empty for plain text. */
  readonly layer: string;
  readonly weight: number;
}

const LABELS: Readonly<Record<SignalKind, string>> = {
  'known-miner-image': 'known miner image',
  'miner-image-name': 'image named as a miner',
  'miner-command-line': 'miner command line (pool endpoint and wallet)',
  'compromised-package': 'known-compromised package version',
  'dropper-host': 'download from a dropper host',
  'scheduled-download': 'download-and-run on a schedule',
  'rival-kill': 'kills rival miners',
  'stratum-url': 'Stratum URL',
  'pool-host': 'mining pool host',
  'pool-web': 'mining pool website or API',
  'pool-port': 'mining pool port with host',
  wallet: 'wallet address',
  'miner-binary': 'miner binary',
  'miner-download': 'miner download',
  'miner-flag': 'miner flag',
  'mining-algorithm': 'mining algorithm',
  'sigma-string': 'miner command-line string',
  'miner-config': 'miner config file',
  'download-exec': 'download-and-execute chain',
  'raw-ip-download': 'download from a raw IP address',
  'campaign-pattern': 'Kubeflow campaign pattern',
  'gpu-request': 'GPU request',
  obfuscation: 'obfuscated payload',
  unexamined: 'text not examined',
};

let weights: ReadonlyMap<SignalKind, number> | undefined;

/** How much one signal of `kind` weighs (`data/lists/signal-weights.yaml`): ≥ 10 alone means a miner is clear; the sum decides the rest. */
export function signalWeight(kind: SignalKind): number {
  weights ??= loadSignalWeights();
  return weights.get(kind) as number;
}

function loadSignalWeights(): ReadonlyMap<SignalKind, number> {
  const loaded = new Map<SignalKind, number>();
  for (const entry of shippedList('signal-weights')) {
    const kind = requiredText(entry, 'signal');
    const weight = entry.fields.weight;
    if (!(kind in LABELS)) throw new Error(`${entry.where}: unknown signal "${kind}"`);
    if (typeof weight !== 'number' || !(weight > 0)) throw new Error(`${entry.where}: "weight" must be a positive number`);
    loaded.set(kind as SignalKind, weight);
  }
  const missing = Object.keys(LABELS).filter((kind) => !loaded.has(kind as SignalKind));
  if (missing.length > 0) throw new Error(`data/lists/signal-weights.yaml: no weight for ${missing.join(', ')}`);
  return loaded;
}

export const CRITICAL_SCORE = 10;
export const HIGH_SCORE = 7;
export const MEDIUM_SCORE = 3;
/** Miner flags add up, but only so far: many flags without a pool or binary stay suspicious, not clear. */
const MAX_FLAG_SCORE = 6;

export interface Verdict {
  readonly severity: Severity;
  readonly score: number;
  /** Signals strongest first, one per distinct (kind, token, place). */
  readonly signals: readonly Signal[];
}

export function scoreSignals(signals: readonly Signal[]): Verdict | undefined {
  if (signals.length === 0) return undefined;
  const unique = dedupe(signals).sort((a, b) => b.weight - a.weight);
  const bestByKind = new Map<SignalKind, number>();
  let flagScore = 0;
  const flagTokens = new Set<string>();
  for (const signal of unique) {
    if (signal.kind === 'miner-flag') {
      if (!flagTokens.has(signal.token)) flagScore += signal.weight;
      flagTokens.add(signal.token);
    } else {
      bestByKind.set(signal.kind, Math.max(bestByKind.get(signal.kind) ?? 0, signal.weight));
    }
  }
  let score = Math.min(flagScore, MAX_FLAG_SCORE);
  for (const weight of bestByKind.values()) score += weight;
  // Something fetched from a raw public IP or a dropper host and then run is a dropper, whatever it is.
  if (bestByKind.has('download-exec') && (bestByKind.has('raw-ip-download') || bestByKind.has('dropper-host'))) score = Math.max(score, HIGH_SCORE);
  const decisive = unique.some((s) => s.weight >= CRITICAL_SCORE);
  const severity: Severity | undefined =
    decisive || score >= CRITICAL_SCORE ? 'critical' : score >= HIGH_SCORE ? 'high' : score >= MEDIUM_SCORE ? 'medium' : undefined;
  return severity ? { severity, score, signals: unique } : undefined;
}

function dedupe(signals: readonly Signal[]): Signal[] {
  const seen = new Map<string, Signal>();
  for (const signal of signals) {
    const key = `${signal.kind}\u0000${signal.token}\u0000${signal.site.path}`;
    const previous = seen.get(key);
    // Prefer the plainest layer: evidence in the clear is easier to verify.
    if (!previous || (previous.layer !== '' && signal.layer === '')) seen.set(key, signal);
  }
  return [...seen.values()];
}

export function labelOf(kind: SignalKind): string {
  return LABELS[kind];
}

/** One evidence line: what matched, where, and in which decoded layer. Secret values are never shown. */
export function describeSignal(signal: Signal): string {
  const what = signal.site.secret || signal.token === '' ? labelOf(signal.kind) : `${labelOf(signal.kind)} "${signal.token}"`;
  const layer = signal.layer === '' ? '' : ` (${signal.layer})`;
  const hidden = signal.site.secret ? ' (value not shown)' : '';
  return `${what} in ${signal.site.where}${layer}${hidden}`;
}
