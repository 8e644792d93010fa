import { annotationsOf, asArray, asRecord, asString, asStringArray, describeObject, namespaceOf } from '../core/object.js';
import type { K8sObject, ScannedObject } from '../core/types.js';
import type { Inventory } from '../core/inventory.js';
import { addsExtAuthz, allowsOnlyPrincipals, deniesWithoutPrincipal, isDryRun, policyCoverage, type Coverage } from './istio-authz.js';
import type { AuthVerdict, ServiceRef } from './types.js';

type Labels = Readonly<Record<string, string>>;

const ISTIO_ROOT_NAMESPACE = 'istio-system';

function selects(selectorLabels: unknown, labelSets: readonly Labels[]): boolean {
  const wanted = asRecord(selectorLabels);
  if (!wanted || Object.keys(wanted).length === 0) return true;
  return labelSets.some((labels) => Object.entries(wanted).every(([key, value]) => labels[key] === value));
}

function appliesTo(policy: ScannedObject, namespace: string | undefined, selectorLabels: unknown, labelSets: readonly Labels[]): boolean {
  const policyNamespace = namespaceOf(policy.object);
  const spec = asRecord(policy.object.spec);
  const targetRefs = [...asArray(spec?.targetRefs), ...(spec?.targetRef === undefined ? [] : [spec.targetRef])];
  // With targetRefs the selector is not used: the policy applies to the Kubernetes Gateways it names
  // (in its own namespace), never to the gateway pods a selector would match.
  // https://istio.io/latest/docs/reference/config/type/workload-selector/#PolicyTargetReference
  if (targetRefs.length > 0) return policyNamespace === namespace && targetRefs.some((ref) => namesGatewayOf(ref, labelSets));
  if (policyNamespace !== namespace && policyNamespace !== ISTIO_ROOT_NAMESPACE) return false;
  return selects(selectorLabels, labelSets);
}

/** The pod label naming a Gateway API gateway's Gateway, read by value (the watch relies on the list: reader-visible-change.ts). */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** A targetRef naming the Kubernetes Gateway whose pods carry these labels. */
function namesGatewayOf(ref: unknown, labelSets: readonly Labels[]): boolean {
  const target = asRecord(ref);
  if (target?.kind !== 'Gateway' || target.group !== 'gateway.networking.k8s.io') return false;
  return labelSets.some((labels) => labels[GATEWAY_NAME_LABEL] === target.name);
}

/**
 * Whether the Istio ingress gateway authenticates outsiders' requests to `path`: the oauth2-proxy
 * chain (a CUSTOM AuthorizationPolicy that covers the path, or DENY or ALLOW rules that refuse
 * requests without a principal, which a RequestAuthentication grants), or the older oidc-authservice
 * EnvoyFilter. Kubeflow's CUSTOM rule skips requests that carry an Authorization header, leaving
 * them to the JWT check, so a chain missing its DENY lets any `Authorization: x` through.
 * `unknown` when the scanned set shows neither Istio security objects nor the gateway's workload.
 */
export function gatewayAuth(inventory: Inventory, gateway: ServiceRef, labelSets: readonly Labels[], path = '/'): AuthVerdict {
  return gatewayAuthJudge(inventory, gateway, labelSets)(path);
}

/**
 * `gatewayAuth` for one gateway, split in two: which policies, RequestAuthentications and
 * EnvoyFilters apply to the gateway is read once, and only what depends on the path is judged per
 * path (a gateway carries dozens of routes, each judged on every rebuild of the exposure analysis).
 */
export function gatewayAuthJudge(inventory: Inventory, gateway: ServiceRef, labelSets: readonly Labels[]): (path: string) => AuthVerdict {
  const namespace = gateway.namespace ?? ISTIO_ROOT_NAMESPACE;
  const policies = inventory.ofKind('AuthorizationPolicy', 'security.istio.io');
  const requestAuths = inventory.ofKind('RequestAuthentication', 'security.istio.io');
  const envoyFilters = inventory.ofKind('EnvoyFilter', 'networking.istio.io');
  const applying = (list: readonly ScannedObject[], selectorOf: (spec: Record<string, unknown> | undefined) => unknown): ScannedObject[] =>
    list.filter((s) => appliesTo(s, namespace, selectorOf(asRecord(s.object.spec) as Record<string, unknown> | undefined), labelSets));
  const matchLabels = (spec: Record<string, unknown> | undefined): unknown => asRecord(spec?.selector)?.matchLabels;
  const actionOf = (s: ScannedObject): string => asString(asRecord(s.object.spec)?.action) ?? 'ALLOW';

  const dryRunNotes: string[] = [];
  const gatewayPolicies = applying(policies, matchLabels).filter((s) => {
    if (!isDryRun(s.object)) return true;
    dryRunNotes.push(`${describeObject(s.object)} is in dry-run mode (istio.io/dry-run), so it is not enforced`);
    return false;
  });
  const customs = gatewayPolicies.filter((s) => actionOf(s) === 'CUSTOM');
  const jwt = applying(requestAuths, matchLabels).filter((s) => asArray(asRecord(s.object.spec)?.jwtRules).length > 0);
  const denyPolicies = gatewayPolicies.filter((s) => actionOf(s) === 'DENY');
  const allowPolicies = gatewayPolicies.filter((s) => actionOf(s) === 'ALLOW').map((s) => s.object);
  const authService = applying(envoyFilters, (spec) => asRecord(spec?.workloadSelector)?.labels).filter((s) => addsExtAuthz(s.object));
  const visible = policies.length > 0 || requestAuths.length > 0 || envoyFilters.length > 0 || gateway.workloads.length > 0;
  // Notes that do not depend on the path are written once.
  const jwtNotes = jwt.map((s) => `${describeObject(s.object)} validates JWTs on the gateway`);
  const authServiceNotes = authService.map((s) => `${describeObject(s.object)} adds an ext_authz (oidc-authservice) filter`);
  const denyNotes = new Map(denyPolicies.map((s) => [s, `${describeObject(s.object)} denies requests without a principal`]));
  const customNotes = new Map<string, string>();
  const customNoteOf = (policy: K8sObject, c: Coverage, path: string): string => {
    // Only the "no rule matches" note names the path.
    const key = `${customs.findIndex((s) => s.object === policy)}\u0000${c}\u0000${c === 'all' || c === 'without-authorization-header' ? '' : path}`;
    let note = customNotes.get(key);
    if (note === undefined) {
      note = customNote(policy, c, path);
      customNotes.set(key, note);
    }
    return note;
  };

  return (path) => {
    const notes = [...dryRunNotes];
    const coverage = customs.map((s) => ({ policy: s.object, coverage: policyCoverage(s.object, path) }));
    const customAll = coverage.filter((c) => c.coverage === 'all');
    const customHeaderless = coverage.filter((c) => c.coverage === 'without-authorization-header');
    const denies = denyPolicies.filter((s) => deniesWithoutPrincipal(s.object, path));
    const allowOnlyPrincipals = allowsOnlyPrincipals(allowPolicies, path);

    for (const { policy, coverage: c } of coverage) notes.push(customNoteOf(policy, c, path));
    notes.push(...jwtNotes);
    for (const s of denies) notes.push(denyNotes.get(s) as string);
    if (allowOnlyPrincipals) notes.push(`the gateway's ALLOW policies admit requests to ${path} only with a request principal`);
    notes.push(...authServiceNotes);

    // Without a RequestAuthentication no request ever has a principal, so these refuse everything.
    const jwtRequired = denies.length > 0 || allowOnlyPrincipals;
    if (jwtRequired && jwt.length === 0) notes.push('no RequestAuthentication validates JWTs on the gateway, so no request can carry a principal and all are refused');
    if (customAll.length > 0 || authService.length > 0 || jwtRequired) return { state: 'present', notes };
    if (!visible) {
      return {
        state: 'unknown',
        notes: [
          'the scanned files hold no AuthorizationPolicy, RequestAuthentication or EnvoyFilter and not the gateway workload, so whether the oauth2-proxy chain guards the gateway cannot be seen',
        ],
      };
    }
    const verdict =
      customHeaderless.length > 0
        ? `a request to ${path} with any Authorization header skips the CUSTOM check, and no DENY policy with a RequestAuthentication requires a valid JWT`
        : customs.length > 0 || denies.length > 0 || jwt.length > 0
          ? `no AuthorizationPolicy with a CUSTOM provider and no JWT requirement covers requests to ${path} on the ingress gateway`
          : 'no AuthorizationPolicy with a CUSTOM provider and no JWT requirement on the ingress gateway';
    return { state: 'absent', notes: [...notes, verdict] };
  };
}

function customNote(policy: K8sObject, coverage: Coverage, path: string): string {
  const provider = asString(asRecord(asRecord(policy.spec)?.provider)?.name) ?? 'an external';
  if (coverage === 'all') return `${describeObject(policy)} sends requests to the ${provider} provider (action CUSTOM)`;
  if (coverage === 'without-authorization-header') {
    return `${describeObject(policy)} sends requests to the ${provider} provider (action CUSTOM) unless they carry an Authorization header`;
  }
  return `${describeObject(policy)} (action CUSTOM) has no rule that matches every request to ${path}`;
}

const NGINX_AUTH = ['nginx.ingress.kubernetes.io/auth-url', 'nginx.ingress.kubernetes.io/auth-type'];
const ALB_AUTH_TYPE = 'alb.ingress.kubernetes.io/auth-type';
/** GKE's BackendConfig; an object of that kind in any other group configures nothing. */
const BACKEND_CONFIG_GROUP = 'cloud.google.com';
const BACKEND_CONFIG_ANNOTATIONS = ['cloud.google.com/backend-config', 'beta.cloud.google.com/backend-config'];

/**
 * Authentication an Ingress controller does before forwarding (nginx auth, ALB OIDC/Cognito, GCP
 * IAP). A controller reads only its own annotations, so they count only when the Ingress's class
 * is that controller's, or when it names no class (the cluster default, unknown here).
 */
export function ingressAuth(inventory: Inventory, ingress: K8sObject, backend: ServiceRef): string | undefined {
  const annotations = annotationsOf(ingress);
  const ingressClass = (annotations['kubernetes.io/ingress.class'] ?? asString(asRecord(ingress.spec)?.ingressClassName) ?? '').toLowerCase();
  const classIs = (pattern: RegExp): boolean => ingressClass === '' || pattern.test(ingressClass);
  if (classIs(/nginx/)) {
    for (const key of NGINX_AUTH) if (annotations[key]) return `${describeObject(ingress)} authenticates with ${key}`;
  }
  const albAuth = annotations[ALB_AUTH_TYPE]?.toLowerCase();
  if (classIs(/alb/) && (albAuth === 'oidc' || albAuth === 'cognito')) {
    return `${describeObject(ingress)} authenticates at the ALB (${ALB_AUTH_TYPE}: ${albAuth})`;
  }
  if (backend.service) {
    const backendAnnotations = annotationsOf(backend.service);
    for (const key of BACKEND_CONFIG_ANNOTATIONS) {
      for (const name of backendConfigNames(backendAnnotations[key])) {
        const config = inventory.get('BackendConfig', backend.namespace, name, BACKEND_CONFIG_GROUP);
        if (asRecord(asRecord(config?.object.spec)?.iap)?.enabled === true) {
          return `${describeObject(config!.object)} enables Identity-Aware Proxy for ${backend.name}`;
        }
      }
    }
  }
  return undefined;
}

function backendConfigNames(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed = asRecord(JSON.parse(value));
    const names = [asString(parsed?.default)];
    for (const name of Object.values(asRecord(parsed?.ports) ?? {})) names.push(asString(name));
    return names.filter((n): n is string => n !== undefined);
  } catch {
    return [];
  }
}

/**
 * An ALLOW policy that admits only mesh identities (as Kubeflow puts on each UI) refuses direct
 * traffic from outside the mesh when the sidecar enforces it; worth saying, though the UI itself
 * still authenticates nobody.
 */
export function meshOnlyPolicyNote(inventory: Inventory, backend: ServiceRef, labelSets: readonly Labels[]): string | undefined {
  if (labelSets.length === 0) return undefined;
  const policy = inventory.ofKind('AuthorizationPolicy', 'security.istio.io').find((s) => {
    const spec = asRecord(s.object.spec);
    if (namespaceOf(s.object) !== backend.namespace || (spec?.action ?? 'ALLOW') !== 'ALLOW') return false;
    if (!selects(asRecord(spec?.selector)?.matchLabels, labelSets) || asRecord(spec?.selector) === undefined) return false;
    const rules = asArray(spec?.rules);
    return (
      rules.length > 0 &&
      rules.every((rule) => asArray(asRecord(rule)?.from).some((from) => asStringArray(asRecord(asRecord(from)?.source)?.principals).length > 0))
    );
  });
  return policy
    ? `${describeObject(policy.object)} admits only mesh identities, which refuses direct requests only while an Istio sidecar enforces it`
    : undefined;
}
