import { Worker } from 'node:worker_threads';
import { workerEntryUrl } from '../core/worker-url.js';
import { MAX_BCRYPT_COST, rememberBcryptVerdict } from './bcrypt.js';

const PLAIN_HASH = /\$2[abxy]?\$(\d{2})\$[./A-Za-z0-9]{53}/g;
/** base64 of `$2a$`, `$2b$`, `$2x$`, `$2y$`, `$2$`, as Secret `data` values hold them. */
const ENCODED_HASH = /(?:JDJ[hi45]J|JDIk)[A-Za-z0-9+/]{20,120}={0,2}/g;

const workerUrl = workerEntryUrl('bcrypt-worker', import.meta.url);

/**
 * A cost-12 bcrypt takes a few hundred milliseconds, longer than parsing a whole install. Hashes
 * are spotted in the raw text as soon as a file is read and checked against the documented
 * default passwords on another thread while parsing goes on; the Dex rule then finds the verdicts
 * cached. The rule stays correct without this: it computes whatever was not prefetched.
 */
export interface PrefetchTargets {
  /** The passwords each hash is tested against. */
  readonly passwords: readonly string[];
  /** Hashes whose verdict is already known (published defaults): never worth a worker's time. */
  readonly knownHashes: { has(hash: string): boolean };
  /** At most this many distinct hashes are checked per scan: bcrypt work must stay bounded. */
  readonly maxHashes: number;
}

export class BcryptPrefetch {
  private readonly pending: Promise<void>[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly targets: PrefetchTargets) {}

  addText(text: string): void {
    if (!text.includes('$2') && !text.includes('JDJ') && !text.includes('JDIk')) return;
    const hashes: string[] = [];
    for (const match of text.matchAll(PLAIN_HASH)) this.collect(match[0], hashes);
    for (const match of text.matchAll(ENCODED_HASH)) {
      const decoded = Buffer.from(match[0], 'base64').toString('latin1');
      const inner = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/.exec(decoded);
      if (inner) this.collect(inner[0], hashes);
    }
    if (hashes.length > 0) this.pending.push(verify(hashes, this.targets.passwords));
  }

  /** Resolves when every started check is done; failures only mean the rule computes it itself. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  private collect(hash: string, into: string[]): void {
    const cost = Number(/^\$2[abxy]?\$(\d{2})\$/.exec(hash)?.[1]);
    if (this.seen.size >= this.targets.maxHashes || this.seen.has(hash) || this.targets.knownHashes.has(hash) || !(cost >= 4 && cost <= MAX_BCRYPT_COST)) return;
    this.seen.add(hash);
    into.push(hash);
  }
}

function verify(hashes: readonly string[], passwords: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(workerUrl, { workerData: { hashes, passwords } });
    } catch {
      resolve();
      return;
    }
    worker.once('message', (verdicts: { hash: string; password: string; verdict: boolean }[]) => {
      for (const v of verdicts) rememberBcryptVerdict(v.password, v.hash, v.verdict);
      resolve();
      void worker.terminate();
    });
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
}
