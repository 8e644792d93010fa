import { argoAuthModeFixer } from './fixers/argo-auth-mode.js';
import { dashboardSkipLoginFixer } from './fixers/dashboard-skip-login.js';
import { egressPolicyFixer, limitRangeFixer, podSecurityFixer, resourceQuotaFixer } from './fixers/guardrails.js';
import { imageDigestFixer } from './fixers/image-digest.js';
import { jupyterTokenFixer } from './fixers/jupyter-token.js';
import { serviceExposureFixer } from './fixers/service-exposure.js';
import type { Fixer } from './types.js';

/** Fixers keyed by the rule id whose findings they repair. A rule without an entry has no automatic fix. */
export const FIXERS: Readonly<Record<string, Fixer>> = {
  'kubeflow-dashboard-exposed': serviceExposureFixer,
  'ml-service-exposed': serviceExposureFixer,
  'argo-server-auth-mode-server': argoAuthModeFixer,
  'kubernetes-dashboard-auth-bypass': dashboardSkipLoginFixer,
  'jupyter-empty-token': jupyterTokenFixer,
  'profile-namespace-missing-resource-quota': resourceQuotaFixer,
  'profile-namespace-missing-limit-range': limitRangeFixer,
  'profile-namespace-missing-egress-deny': egressPolicyFixer,
  'profile-namespace-missing-pod-security': podSecurityFixer,
  'image-floating-tag': imageDigestFixer,
  'image-not-pinned-digest': imageDigestFixer,
};

export function fixerFor(ruleId: string): Fixer | undefined {
  return Object.hasOwn(FIXERS, ruleId) ? FIXERS[ruleId] : undefined;
}
