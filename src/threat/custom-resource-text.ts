import { MAX_SEARCH_DEPTH } from '../core/budget.js';
import { isRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import { containersOf } from '../k8s/workloads.js';
import { capDataPoolSignals, foundMinerConfig } from './precision.js';
import { CUT_SHORT, cutShort, signal, type ScanState } from './scan-queue.js';
import type { Site } from './signals.js';
import { scanArgv, scanRaw } from './text-scan.js';
import { matchWallet, shortWallet } from './wallets.js';

/** Fields the API server keeps about the object, not what its operator is told to do. */
const NOT_SPEC = new Set(['apiVersion', 'kind', 'metadata', 'status']);
/** Strings shorter than this hold no pool host, wallet or command. */
const MIN_TEXT = 6;
/** Below this length a string needs a separator to be worth reading (encoded payloads are longer). */
const SHORT_WORD = 24;

/**
 * The text of a custom resource's spec, judged as data: an operator's resource can carry a pool,
 * a wallet and miner arguments with no pod template (a "mining operator"). Lists of strings are read
 * as command lines, other strings as text. A pool named here is weak alone (at most medium) and
 * counts fully beside a wallet or miner arguments; a wallet counts only beside a pool.
 */
export function scanCustomResourceText(object: K8sObject, state: ScanState): void {
  const from = state.signals.length;
  const wallets: { wallet: string; format: string; site: Site }[] = [];
  // Containers are judged as what runs by the container scan; reading them again as data adds nothing.
  const skip = new Set(containersOf(object).map((ref) => ref.path));
  for (const [key, value] of Object.entries(object)) {
    if (!NOT_SPEC.has(key)) walk(value, key, 0, { state, wallets, skip });
  }
  const namesPool = state.signals.slice(from).some((s) => s.kind === 'pool-host' || s.kind === 'stratum-url' || s.kind === 'pool-port');
  if (namesPool) for (const w of wallets) signal(state, 'wallet', `${w.format} ${shortWallet(w.wallet)}`, w.site, '');
  if (!foundMinerConfig(state, from)) capDataPoolSignals(state, from);
}

interface Walk {
  readonly state: ScanState;
  readonly wallets: { wallet: string; format: string; site: Site }[];
  readonly skip: ReadonlySet<string>;
}

function walk(value: unknown, path: string, depth: number, w: Walk): void {
  const { state, wallets } = w;
  if (w.skip.has(path)) return;
  if (depth > MAX_SEARCH_DEPTH) {
    cutShort(state, CUT_SHORT.fieldDepth);
    return;
  }
  if (typeof value === 'string') {
    // A short word with no dot, colon, slash or blank names no host, URL or command; a wallet is
    // longer than this and checked below.
    if (value.length < MIN_TEXT || (value.length < SHORT_WORD && !/[.:/\s]/.test(value))) return;
    const site: Site = { where: `field ${path}`, path };
    const wallet = matchWallet(value.trim());
    if (wallet) wallets.push({ wallet: wallet.wallet, format: wallet.format, site });
    else scanRaw(value, site, '', state);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => typeof item === 'string')) {
      scanArgv(value.map((text: string, i) => ({ text, site: { where: `field ${joinPath(path, i)}`, path: joinPath(path, i) } })), '', state);
      return;
    }
    value.forEach((item, i) => walk(item, joinPath(path, i), depth + 1, w));
    return;
  }
  if (isRecord(value)) for (const [key, item] of Object.entries(value)) walk(item, joinPath(path, key), depth + 1, w);
}
