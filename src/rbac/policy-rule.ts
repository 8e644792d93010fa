import { asArray, asRecord, asStringArray } from '../core/object.js';

/** One entry of a Role's or ClusterRole's `rules`, with the path it was read from. */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** A request to authorize, in the terms RBAC matches on. `resource` may carry a subresource: `pods/exec`. */
export interface AccessRequest {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
}

export function readPolicyRules(value: unknown): PolicyRule[] {
  return asArray(value).map((raw) => {
    const rule = asRecord(raw) ?? {};
    return {
      verbs: asStringArray(rule.verbs),
      apiGroups: asStringArray(rule.apiGroups),
      resources: asStringArray(rule.resources),
      resourceNames: asStringArray(rule.resourceNames),
      nonResourceURLs: asStringArray(rule.nonResourceURLs),
    };
  });
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes('*') || rule.verbs.includes(verb);
}

export function apiGroupMatches(rule: PolicyRule, apiGroup: string): boolean {
  return rule.apiGroups.includes('*') || rule.apiGroups.includes(apiGroup);
}

// Kubernetes' own matching: `*` covers every resource and subresource, `*/exec` covers one
// subresource of every resource, and anything else must be equal. `pods/*` is not a wildcard.
export function resourceMatches(rule: PolicyRule, resource: string): boolean {
  const slash = resource.indexOf('/');
  const subresource = slash === -1 ? undefined : resource.slice(slash + 1);
  return rule.resources.some(
    (candidate) => candidate === '*' || candidate === resource || (subresource !== undefined && candidate === `*/${subresource}`),
  );
}

/**
 * True when the rule grants the request on objects of any name. Rules limited by
 * `resourceNames` never grant `create` (the name is unknown when it is authorized) and are
 * treated as not granting blanket access here.
 */
export function ruleAllows(rule: PolicyRule, request: AccessRequest): boolean {
  return (
    rule.resourceNames.length === 0 &&
    verbMatches(rule, request.verb) &&
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, request.resource)
  );
}

export function rulesAllow(rules: readonly PolicyRule[], request: AccessRequest): boolean {
  return rules.some((rule) => ruleAllows(rule, request));
}

const READ_ONLY_VERBS = new Set(['get', 'list', 'watch']);

/** Verbs that change state. `*` counts as a write. */
/**
 * Review resources are asked, not changed: `create` on them is how a client asks "may I?" or
 * "who am I?" (`system:basic-user` grants it to everyone), so it writes nothing.
 */
const QUESTION_RESOURCES = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

export function writeVerbsOf(rule: PolicyRule): string[] {
  const onlyQuestions = rule.nonResourceURLs.length === 0 && rule.resources.length > 0 && rule.resources.every((r) => QUESTION_RESOURCES.has(r));
  if (onlyQuestions) return [];
  return rule.verbs.filter((verb) => !READ_ONLY_VERBS.has(verb));
}

/** `deployments.apps`, `pods`, `workflows.argoproj.io`: the kubectl spelling of a group resource. */
export function qualifiedResource(apiGroup: string, resource: string): string {
  return apiGroup === '' ? resource : `${resource}.${apiGroup}`;
}
