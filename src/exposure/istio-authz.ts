import { annotationsOf, asArray, asRecord, asString, asStringArray } from '../core/object.js';
import type { K8sObject } from '../core/types.js';

/**
 * What an Istio AuthorizationPolicy does to a request an outsider sends to one path. The outsider
 * has no principal and chooses the method, the host header and any other headers, so a rule
 * "covers" the path only if it matches whatever the outsider picks.
 * Semantics: https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */

/** `all`: every request to the path; `without-authorization-header`: only requests lacking one. */
export type Coverage = 'all' | 'without-authorization-header' | 'none';

/** `dry-run` policies are only logged, never enforced (istio.io/dry-run annotation). */
export function isDryRun(policy: K8sObject): boolean {
  return annotationsOf(policy)['istio.io/dry-run']?.toLowerCase() === 'true';
}

/** Exact (`/a`), prefix (`/a/*`), suffix (`*.js`) and presence (`*`) matches, as Istio defines them. */
export function istioPathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return path.endsWith(pattern.slice(1));
  return pattern === path;
}

/** Operation fields an outsider can steer around (any value but the listed ones gets through). */
const STEERABLE_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'ports', 'notPorts'];

/** Whether every request to `path` matches the `to` list (an absent list matches everything). */
function toMatches(rule: Record<string, unknown>, path: string): boolean {
  if (rule.to === undefined) return true;
  return asArray(rule.to).some((raw) => {
    const operation = asRecord(asRecord(raw)?.operation) ?? {};
    if (STEERABLE_OPERATION_FIELDS.some((field) => operation[field] !== undefined)) return false;
    const paths = operation.paths === undefined ? undefined : asStringArray(operation.paths);
    if (paths !== undefined && !paths.some((p) => istioPathMatches(p, path))) return false;
    return !asStringArray(operation.notPaths).some((p) => istioPathMatches(p, path));
  });
}

/** Whether every outsider (no principal, any address) matches the `from` list. */
function fromMatchesOutsiders(rule: Record<string, unknown>): boolean {
  if (rule.from === undefined) return true;
  return asArray(rule.from).some((raw) => {
    const source = asRecord(asRecord(raw)?.source) ?? {};
    const fields = Object.keys(source);
    // `notRequestPrincipals: ["*"]` is exactly "requests without a principal".
    return fields.every((field) => field === 'notRequestPrincipals' && asStringArray(source[field]).includes('*'));
  });
}

/** `when` conditions: only Kubeflow's "no Authorization header" condition is understood. */
function whenCoverage(rule: Record<string, unknown>): Coverage {
  if (rule.when === undefined) return 'all';
  const conditions = asArray(rule.when).map((raw) => asRecord(raw) ?? {});
  const onlyHeaderless = conditions.every(
    (c) => asString(c.key)?.toLowerCase() === 'request.headers[authorization]' && asStringArray(c.notValues).includes('*') && c.values === undefined,
  );
  return conditions.length > 0 && onlyHeaderless ? 'without-authorization-header' : 'none';
}

/**
 * How much of the outsiders' traffic to `path` the policy's rules match. A policy without rules
 * matches nothing (for CUSTOM and DENY actions that means it never acts).
 */
export function policyCoverage(policy: K8sObject, path: string): Coverage {
  let best: Coverage = 'none';
  for (const raw of asArray(asRecord(policy.spec)?.rules)) {
    const rule = asRecord(raw) as Record<string, unknown> | undefined;
    if (!rule || !toMatches(rule, path) || !fromMatchesOutsiders(rule)) continue;
    const when = whenCoverage(rule);
    if (when === 'all') return 'all';
    if (when === 'without-authorization-header') best = when;
  }
  return best;
}

/** DENY rules that refuse requests without a principal on `path` (with a RequestAuthentication, a JWT requirement). */
export function deniesWithoutPrincipal(policy: K8sObject, path: string): boolean {
  return asArray(asRecord(policy.spec)?.rules).some((raw) => {
    const rule = asRecord(raw) as Record<string, unknown> | undefined;
    if (!rule || rule.when !== undefined || !toMatches(rule, path)) return false;
    return asArray(rule.from).some((from) => asStringArray(asRecord(asRecord(from)?.source)?.notRequestPrincipals).includes('*'));
  });
}

/**
 * With ALLOW policies on a workload, a request must match one of their rules. They demand a JWT
 * when every rule that admits `path` also needs a request principal.
 */
export function allowsOnlyPrincipals(allowPolicies: readonly K8sObject[], path: string): boolean {
  const admitting = allowPolicies.flatMap((policy) =>
    asArray(asRecord(policy.spec)?.rules)
      .map((raw) => (asRecord(raw) ?? {}) as Record<string, unknown>)
      .filter((rule) => toMatches(rule, path)),
  );
  if (admitting.length === 0) return allowPolicies.length > 0;
  return admitting.every((rule) =>
    asArray(rule.from).length > 0 &&
    asArray(rule.from).every((from) => {
      const source = asRecord(asRecord(from)?.source) ?? {};
      return asStringArray(source.requestPrincipals).length > 0 && source.notRequestPrincipals === undefined;
    }),
  );
}

/** An EnvoyFilter that adds (not removes) an ext_authz filter, as oidc-authservice did. */
export function addsExtAuthz(filter: K8sObject): boolean {
  return asArray(asRecord(filter.spec)?.configPatches).some((raw) => {
    const patch = asRecord(asRecord(raw)?.patch);
    const operation = asString(patch?.operation) ?? '';
    return operation !== 'REMOVE' && /ext_authz|authservice/.test(JSON.stringify(patch?.value ?? {}));
  });
}
