import type { Severity } from './severity.js';

/** Settings that change what rules report. Loaded from `.kfguard.yaml`; every field is optional there. */
export interface KfguardConfig {
  readonly rules: Readonly<Record<string, { readonly enabled?: boolean; readonly severity?: Severity }>>;
  readonly suppressions: readonly ConfigSuppression[];
  readonly indicators: IndicatorExtensions;
  readonly registries: { readonly allowed: readonly string[] };
}

export interface ConfigSuppression {
  readonly rule: string;
  /** Glob over `namespace/kind/name`. */
  readonly resource: string;
  readonly reason: string;
  readonly until?: string;
}

export interface IndicatorExtensions {
  readonly minerBinaries: readonly string[];
  readonly poolDomains: readonly string[];
  readonly images: readonly string[];
  readonly trustedImages: readonly string[];
}

export const DEFAULT_CONFIG: KfguardConfig = Object.freeze({
  rules: {},
  suppressions: [],
  indicators: { minerBinaries: [], poolDomains: [], images: [], trustedImages: [] },
  registries: { allowed: [] },
});
