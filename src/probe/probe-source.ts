import type { Dispatcher } from 'undici';
import type { Source, SourceEvent } from '../core/source.js';
import type { CoverageEntry, InputError, InputStats, K8sObject } from '../core/types.js';
import type { ProductFingerprint } from './fingerprints.js';
import { createDispatcher, type ProbeHttpOptions } from './http-client.js';
import { Limiter } from './limiter.js';
import { probeTarget } from './probe-target.js';
import type { ProbeTarget, TargetResult } from './types.js';

export const PROBE_RESULT_API_VERSION = 'probe.kfguard.io/v1alpha1';
export const PROBE_RESULT_KIND = 'ProbeResult';

/** What probing one target saw, as an object of the snapshot: `status` is the target's result. */
export interface ProbeResultObject extends K8sObject {
  readonly status: TargetResult;
}

export function isProbeResult(object: K8sObject): object is ProbeResultObject {
  return object.apiVersion === PROBE_RESULT_API_VERSION && object.kind === PROBE_RESULT_KIND;
}

export interface ProbeSourceOptions {
  readonly targets: readonly ProbeTarget[];
  readonly fingerprints: readonly ProductFingerprint[];
  readonly http: ProbeHttpOptions;
  /** Requests in flight at once, over all targets. */
  readonly concurrency: number;
  readonly targetBudgetMs: number;
  readonly totalBudgetMs: number;
  /** `--namespace`: namespaces asked of namespaced APIs (Argo workflows), besides the ones the target names. */
  readonly namespaces?: readonly string[];
  /** Tests hand in their own pool; by default one is made per run and closed after it. */
  readonly dispatcher?: Dispatcher;
}

/**
 * The outside-in source: asks each target's URL what it serves and yields one ProbeResult per
 * target (origin `probe`), in the order targets finish. A target nothing answered is a `problem`
 * too, so the report lists it as an input that could not be judged.
 */
export class ProbeSource implements Source {
  readonly kind = 'probe' as const;
  readonly result: { errors: InputError[]; stats: InputStats; coverage: readonly CoverageEntry[] } = {
    errors: [],
    stats: { files: 0, documents: 0, skipped: 0, skippedFiles: 0, skippedDocuments: 0 },
    coverage: [],
  };
  readonly limiter: Limiter;

  constructor(private readonly options: ProbeSourceOptions) {
    this.limiter = new Limiter(options.concurrency);
  }

  async *events(): AsyncIterable<SourceEvent> {
    const dispatcher = this.options.dispatcher ?? createDispatcher(this.options.http, this.options.concurrency);
    const totalSignal = AbortSignal.timeout(this.options.totalBudgetMs);
    const context = { fingerprints: this.options.fingerprints, http: this.options.http, dispatcher, limiter: this.limiter, totalSignal, targetBudgetMs: this.options.targetBudgetMs, namespaces: this.options.namespaces ?? [] };
    const pending = new Map<number, Promise<{ index: number; result: TargetResult }>>();
    this.options.targets.forEach((target, index) => pending.set(index, probeTarget(target, context).then((result) => ({ index, result }))));
    try {
      while (pending.size > 0) {
        const { index, result } = await Promise.race(pending.values());
        pending.delete(index);
        this.result.stats = { ...this.result.stats, documents: this.result.stats.documents + 1 };
        yield { type: 'upsert', object: probeResultObject(result, index), origin: { kind: 'probe', url: result.url } };
        if (result.verdict === 'error') {
          const problem = { file: result.url, message: `no answer to judge: ${[result.stopped, ...new Set(result.errors.map((e) => e.error))].filter(Boolean).slice(0, 3).join('; ')}` };
          this.result.errors.push(problem);
          yield { type: 'problem', problem };
        }
      }
    } finally {
      if (this.options.dispatcher === undefined) await dispatcher.close();
    }
  }
}

function probeResultObject(result: TargetResult, index: number): ProbeResultObject {
  return { apiVersion: PROBE_RESULT_API_VERSION, kind: PROBE_RESULT_KIND, metadata: { name: `target-${index + 1}` }, status: result };
}
