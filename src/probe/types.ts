import type { ReportedOrigin, ResourceRef, SourceLocation } from '../core/types.js';

/** `open`: an API answered with real data and no credentials. */
export type TargetVerdict = 'open' | 'protected' | 'not-found' | 'error';

/** The object a scan found on the exposure path to a target: the door a probe finding points at. */
export interface OpenedBy {
  readonly resource: ResourceRef;
  /** The scan's rule that flagged it (`kubeflow-dashboard-exposed`, `ml-service-exposed` …). */
  readonly ruleId: string;
  readonly location?: SourceLocation;
  readonly origin?: ReportedOrigin;
  /** How the address was derived, e.g. `LoadBalancer ingress 203.0.113.7, port 80`. */
  readonly how: string;
}

export interface ProbeTarget {
  readonly url: string;
  readonly openedBy?: OpenedBy;
}

/** One answer that matched a fingerprint. Everything here is already redacted and escaped for display. */
export interface FingerprintHit {
  readonly productId: string;
  readonly productName: string;
  readonly ruleId: string;
  readonly kind: 'open' | 'identify';
  readonly path: string;
  readonly source: string;
  /** `GET url → 302 → url → 200 application/json`. */
  readonly chain: string;
  readonly shown: readonly { readonly field: string; readonly value: string }[];
  readonly excerpt: string;
  readonly note?: string;
  /** A second rule id this answer proves (KFP running single-user). */
  readonly alsoRuleId?: string;
}

export interface AuthSignal {
  readonly path: string;
  readonly chain: string;
  readonly signal: string;
}

/** What probing one target found; JSON-safe, carried as the status of a ProbeResult object. */
export interface TargetResult {
  readonly url: string;
  readonly verdict: TargetVerdict;
  readonly hits: readonly FingerprintHit[];
  readonly authSignals: readonly AuthSignal[];
  readonly errors: readonly { readonly path: string; readonly error: string }[];
  readonly requests: number;
  /** Set when a time budget stopped the target's probes. */
  readonly stopped?: string;
  readonly openedBy?: OpenedBy;
}
