import { errorMessage } from '../core/errors.js';
import type { Rule } from '../core/rule.js';
import type { ConnectionOptions } from '../sources/cluster/connection.js';
import type { LiveSnapshot } from '../sources/cluster/live-snapshot.js';
import type { Logger } from './logging.js';
import type { LoadedSnapshot } from './snapshot-loader.js';

export interface LiveLoaderOptions extends ConnectionOptions {
  readonly rules: readonly Rule[];
  readonly logger: Logger;
  /** Called once every informer has had its first answer: the webhook is ready then. */
  readonly onSynced: (loaded: LoadedSnapshot, live: LiveSnapshot) => void;
  /** Each failure to reach the cluster at all (retried with backoff); the server stays not ready. */
  readonly onUnreachable: (message: string) => void;
  readonly signal: AbortSignal;
  readonly retryMs?: { readonly initial: number; readonly max: number };
}

/**
 * The webhook's snapshot from the cluster itself: informers on the kinds the admission rules judge
 * or read. A kind the account may not list is a coverage gap in /readyz and the logs, never a
 * crash; an API server that cannot be reached at start is retried with backoff while /readyz says
 * why. client-node is loaded here, only when no `--snapshot-from` is given.
 */
export async function startLiveSnapshot(options: LiveLoaderOptions): Promise<LiveSnapshot | undefined> {
  const { LiveSnapshot } = await import('../sources/cluster/live-snapshot.js');
  const { logger } = options;
  let delay = options.retryMs?.initial ?? 1_000;
  while (!options.signal.aborted) {
    try {
      const live = await LiveSnapshot.start({
        ...(options.kubeconfig === undefined ? {} : { kubeconfig: options.kubeconfig }),
        ...(options.context === undefined ? {} : { context: options.context }),
        env: options.env,
        rules: options.rules,
        judging: 'admission',
        onTrouble: (message) => logger.warn({ detail: message }, 'live snapshot: retrying'),
        onNewResources: (added) => logger.info({ added }, 'live snapshot: now served, and watched'),
      });
      logger.info({ context: live.context, watched: live.watched.length }, 'live snapshot: listing and watching');
      void live.whenSynced().then(() => {
        const gaps = (): string[] => live.coverage.map((c) => c.reason);
        for (const gap of gaps()) logger.warn({ gap }, 'live snapshot: coverage gap');
        options.onSynced({ snapshot: live.snapshot, objects: live.snapshot.size, problems: [], loadedAt: Date.now(), coverageGaps: gaps }, live);
      });
      return live;
    } catch (error) {
      options.onUnreachable(errorMessage(error));
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())).unref());
      delay = Math.min(delay * 2, options.retryMs?.max ?? 30_000);
    }
  }
  return undefined;
}
