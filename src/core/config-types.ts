import type { Severity } from './severity.js';

/** Settings that change what rules report. Loaded from `.kfguard.yaml`; every field is optional there. */
export interface KfguardConfig {
  readonly rules: Readonly<Record<string, RuleSettings>>;
  readonly suppressions: readonly ConfigSuppression[];
  /** Entries users append to shipped lists that several rules share (`lists:`). */
  readonly lists: UserLists;
  /**
   * How far ahead an inline `kfguard.io/ignore-until` may reach; a later date is not honoured
   * (default DEFAULT_IGNORE_HORIZON_DAYS), so an annotation cannot silence a workload for ever.
   */
  readonly ignoreHorizonDays?: number;
  /**
   * Inline `kfguard.io/ignore` honoured on objects whose creator wrote their annotations (a live
   * cluster, a snapshot of one, admission requests): none by default. Set in the operator's config
   * file only, never on an object; never covers the categories and rules an intruder would hide.
   */
  readonly liveInlineIgnores?: LiveInlineIgnores;
}

/** The categories and rules whose inline ignores count on creator-written objects (GitOps clusters). */
export interface LiveInlineIgnores {
  readonly categories: readonly string[];
  readonly rules: readonly string[];
  /** Why the annotations there can be trusted (reviewed manifests applied by a GitOps controller). */
  readonly reason: string;
}

export const DEFAULT_IGNORE_HORIZON_DAYS = 366;

export interface RuleSettings {
  readonly enabled?: boolean;
  readonly severity?: Severity;
  /** Validated against the rule's own options schema when the config loads. */
  readonly options?: unknown;
}

export interface ConfigSuppression {
  readonly rule: string;
  /** Glob over `namespace/kind/name`. */
  readonly resource: string;
  readonly reason: string;
  readonly until?: string;
}

/** An annotation that makes a cloud LoadBalancer internal when it has one of `values` (lower-case). */
export interface InternalLoadBalancerAnnotation {
  readonly key: string;
  readonly values: readonly string[];
  /** Named in evidence; `custom` when a user entry gives none. */
  readonly cloud?: string;
}

/**
 * Additions to shipped lists read by more than one rule. Appending only: a shipped entry can
 * never be removed from config, so an old config cannot silently weaken a newer release.
 */
export interface UserLists {
  readonly 'runtime-sockets'?: readonly string[];
  readonly 'internal-load-balancer-annotations'?: readonly InternalLoadBalancerAnnotation[];
}

export const DEFAULT_CONFIG: KfguardConfig = Object.freeze({
  rules: {},
  suppressions: [],
  lists: {},
});
