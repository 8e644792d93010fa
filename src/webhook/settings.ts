import type { Severity } from '../core/severity.js';
import type { WebhookExemption } from '../config/webhook-schema.js';

export type WebhookMode = 'enforce' | 'warn' | 'audit';
export type FailurePolicy = 'fail' | 'ignore';

export const WEBHOOK_MODES: readonly WebhookMode[] = ['enforce', 'warn', 'audit'];
export const FAILURE_POLICIES: readonly FailurePolicy[] = ['fail', 'ignore'];

/** How the server turns findings into admission decisions. */
export interface DecisionSettings {
  readonly denySeverity: Severity;
  readonly mode: WebhookMode;
  readonly failurePolicy: FailurePolicy;
  /**
   * Internal deadline per review, below the webhook's `timeoutSeconds` so kfguard answers by its
   * own failure policy instead of letting the API server time out.
   */
  readonly deadlineMs: number;
  readonly exemptions: readonly WebhookExemption[];
}

export const DEFAULT_DECISION_SETTINGS: DecisionSettings = {
  denySeverity: 'critical',
  mode: 'enforce',
  failurePolicy: 'fail',
  deadlineMs: 4_000,
  exemptions: [],
};

/**
 * After SIGTERM the pod stays in the Service's endpoints until the endpoint controller and every
 * API server notice it is terminating; with failurePolicy Fail, a review sent to a closed listener
 * in that window is denied. For this long /readyz answers 503 while the listener keeps serving.
 */
export const DEFAULT_SHUTDOWN_DELAY_SECONDS = 5;

/** How long the drain waits for in-flight reviews before closing every connection. */
export const DRAIN_GRACE_MS = 20_000;

/** Body limit of POST /validate: the API server's own request limit is 3 MiB. */
export const MAX_REVIEW_BYTES = 3 * 1024 * 1024;
