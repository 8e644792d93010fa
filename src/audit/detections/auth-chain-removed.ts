import { asArray, asRecord, asString } from '../../core/object.js';
import type { K8sObject } from '../../core/types.js';
import type { AuditDetection, AuditHit, EventContext } from '../detection.js';
import { resourceOfEvent } from '../detection.js';
import { possiblyDeletedNote } from '../deleted-collections.js';
import { succeeded } from '../event.js';

const actionOf = (policy: K8sObject | undefined): string => asString(asRecord(policy?.spec)?.action) ?? 'ALLOW';
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const ALONE = 'the log holds no earlier state of this policy: judged from the request body';

/**
 * Names the Kubeflow auth chain's policies carry in kubeflow/manifests (common/oauth2-proxy:
 * `istio-ingressgateway-oauth2-proxy`; the older common/oidc-client: `authservice`, `oidc-authservice`;
 * Dex), and the namespace the gateway's policies live in. With no earlier state in the log, they
 * are what says a policy was the login check.
 */
const AUTH_CHAIN_NAME = /oauth2|authservice|oidc|dex|jwt|login|auth-?chain/i;
const GATEWAY_NAMESPACE = 'istio-system';
const marksAuthChain = (namespace: string | undefined, name: string | undefined): boolean => namespace === GATEWAY_NAMESPACE || (name !== undefined && AUTH_CHAIN_NAME.test(name));
const jwtRulesOf = (object: K8sObject | undefined): readonly unknown[] => asArray(asRecord(object?.spec)?.jwtRules);

/** The oauth2-proxy CUSTOM AuthorizationPolicy or a RequestAuthentication deleted or changed. */
export const authChainRemoved: AuditDetection = {
  meta: {
    id: 'audit-auth-chain-removed',
    title: 'Istio authentication chain removed or changed',
    severity: 'high',
    category: 'authentication',
    description:
      'A delete (one or a whole collection) or change of an Istio `AuthorizationPolicy` with `action: CUSTOM` (the oauth2-proxy or Dex check in front of Kubeflow), or of a `RequestAuthentication` (the JWT check). The change is compared with the policy\'s last state in the log. Without one, the request body is judged alone and the finding says so: a policy in `istio-system` or named as the login check (oauth2-proxy, authservice, OIDC, Dex) whose action is set to anything but `CUSTOM`, or that is deleted, is high; a RequestAuthentication deleted or left without `jwtRules` is high; other deletes of unknown policies are medium.',
    rationale: 'Kubeflow\'s login is these two objects. Deleting or rewriting them leaves every UI behind the gateway open while the gateway still looks the same.',
    remediation: 'Restore the policy from your manifests (`kubectl apply -k` the auth component), then review what was created while it was gone (see the timeline).',
    references: ['https://istio.io/latest/docs/reference/config/security/authorization-policy/', 'https://github.com/kubeflow/manifests/tree/master/common/oauth2-proxy'],
    mitre: ['T1556', 'T1562.001'],
  },
  start: () =>
    function* (context) {
      const { event } = context;
      const resource = event.objectRef.resource;
      if ((resource !== 'authorizationpolicies' && resource !== 'requestauthentications') || !succeeded(event)) return;
      if (!['update', 'patch', 'delete', 'deletecollection'].includes(event.verb)) return;
      const kind = resource === 'authorizationpolicies' ? 'AuthorizationPolicy' : 'RequestAuthentication';
      if (event.verb === 'deletecollection') yield collectionDeleted(context, kind);
      else if (kind === 'AuthorizationPolicy') yield* authorizationPolicy(context);
      else yield* requestAuthentication(context);
    },
};

function collectionDeleted(context: EventContext, kind: string): AuditHit {
  const namespace = context.event.objectRef.namespace;
  const where = namespace ? `namespace ${namespace}` : 'every namespace';
  const gateway = namespace === undefined || namespace === GATEWAY_NAMESPACE;
  return {
    resource: { apiVersion: `security.istio.io/${context.event.objectRef.apiVersion ?? 'v1'}`, kind, ...(namespace ? { namespace } : {}), name: '*' },
    message: `every ${kind} in ${where} deleted (deletecollection)${kind === 'AuthorizationPolicy' ? ': the CUSTOM login check goes with them if it was there' : ': JWTs are no longer checked there'}`,
    severity: gateway || kind === 'RequestAuthentication' ? 'high' : 'medium',
    discriminator: context.event.auditID,
  };
}

function* authorizationPolicy(context: EventContext): Generator<AuditHit> {
  const { event, after } = context;
  const ref = resourceOfEvent(context, 'AuthorizationPolicy');
  const known = policyState(context);
  if (known === 'not-custom') return;
  const { before, noState, notes } = known;
  const marked = marksAuthChain(ref.namespace, ref.name);
  if (event.verb === 'delete') {
    if (before) yield { resource: ref, message: `CUSTOM AuthorizationPolicy ${ref.name} deleted: the external login check is gone`, severity: 'critical', discriminator: event.auditID, ...notes };
    else if (marked) yield { resource: ref, message: `AuthorizationPolicy ${ref.name} deleted; ${noState}, but its ${ref.namespace === GATEWAY_NAMESPACE ? 'namespace (the gateway\'s)' : 'name'} marks it as the login check`, severity: 'high', discriminator: event.auditID };
    else yield { resource: ref, message: `AuthorizationPolicy ${ref.name} deleted; ${noState} to show whether it was the CUSTOM login check`, severity: 'medium', discriminator: event.auditID };
    return;
  }
  if (!after) return;
  if (!before) {
    // A patch body sets only what it names; a PUT sends the whole policy, whose action then counts.
    const action = asString(asRecord(after.spec)?.action);
    const setsAction = action !== undefined || !context.afterFromPatchAlone;
    if (!marked || !setsAction || actionOf(after) === 'CUSTOM') return;
    yield { resource: ref, message: `AuthorizationPolicy ${ref.name}, marked by its ${ref.namespace === GATEWAY_NAMESPACE ? 'namespace' : 'name'} as the login check, set to action ${actionOf(after)}: the external login check is gone if it was CUSTOM`, severity: 'high', path: 'spec.action', discriminator: event.auditID, evidence: [context.before ? `${noState}: judged from the request body` : ALONE] };
    return;
  }
  if (actionOf(after) !== 'CUSTOM') yield { resource: ref, message: `CUSTOM AuthorizationPolicy ${ref.name} changed to action ${actionOf(after)}: the external login check is gone`, severity: 'critical', path: 'spec.action', discriminator: event.auditID, ...notes };
  else if (!same(before.spec, after.spec)) yield { resource: ref, message: `CUSTOM AuthorizationPolicy ${ref.name} changed (selector, provider or rules)`, severity: 'high', path: 'spec', discriminator: event.auditID, evidence: [...changedKeys(before, after), ...(notes.evidence ?? [])] };
}

/**
 * The policy's kept state as judging reads it. A state a deletecollection may have ended still
 * shows a CUSTOM policy (it can only add a finding); another action then clears nothing: the
 * request is judged as with no state, saying why.
 */
function policyState(context: EventContext): 'not-custom' | { before?: K8sObject; noState: string; notes: { evidence?: string[] } } {
  const { before, beforeDeletedBy } = context;
  if (before && actionOf(before) !== 'CUSTOM' && !beforeDeletedBy) return 'not-custom';
  if (before && actionOf(before) === 'CUSTOM') return { before, noState: '', notes: beforeDeletedBy ? { evidence: [possiblyDeletedNote('the earlier state of this policy', beforeDeletedBy)] } : {} };
  const noState = before && beforeDeletedBy ? `its last state in the log (action ${actionOf(before)}) may be gone: ${beforeDeletedBy} may have deleted it` : 'the log holds no earlier state';
  return { noState, notes: {} };
}

function* requestAuthentication(context: EventContext): Generator<AuditHit> {
  const { event, before, after } = context;
  const ref = resourceOfEvent(context, 'RequestAuthentication');
  if (event.verb === 'delete') {
    // Any RequestAuthentication is a JWT check; deleting one is high whether or not the log showed it.
    yield { resource: ref, message: `RequestAuthentication ${ref.name} deleted: JWTs are no longer checked there`, severity: 'high', discriminator: event.auditID, ...(before ? {} : { evidence: ['the log holds no earlier state of this object'] }) };
    return;
  }
  if (!after) return;
  const spec = asRecord(after.spec);
  // A patch judged alone says nothing about jwtRules unless it names them.
  const touchesRules = !context.afterFromPatchAlone || (spec !== undefined && Object.hasOwn(spec, 'jwtRules'));
  // A kept state without rules that a deletecollection may have ended does not show they were already gone.
  const emptied = touchesRules && jwtRulesOf(after).length === 0 && (!before || context.beforeDeletedBy !== undefined || jwtRulesOf(before).length > 0);
  if (emptied) {
    const evidence = !before ? [ALONE] : context.beforeDeletedBy ? [possiblyDeletedNote('the earlier state of this object', context.beforeDeletedBy)] : [];
    yield { resource: ref, message: `RequestAuthentication ${ref.name} left without jwtRules: JWTs are no longer checked there`, severity: 'high', path: 'spec.jwtRules', discriminator: event.auditID, ...(evidence.length > 0 ? { evidence } : {}) };
    return;
  }
  if (before && !same(before.spec, after.spec)) yield { resource: ref, message: `RequestAuthentication ${ref.name} changed`, severity: 'medium', path: 'spec', discriminator: event.auditID, evidence: changedKeys(before, after) };
  else if (!before && spec !== undefined && Object.keys(spec).length > 0)
    {yield { resource: ref, message: `RequestAuthentication ${ref.name} changed (${Object.keys(spec).map((key) => `spec.${key}`).join(', ')})`, severity: 'medium', path: 'spec', discriminator: event.auditID, evidence: [ALONE] };}
}

function changedKeys(before: K8sObject, after: K8sObject): string[] {
  const a = asRecord(before.spec) ?? {};
  const b = asRecord(after.spec) ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !same(a[key], b[key]));
  return keys.length > 0 ? [`changed: ${keys.map((key) => `spec.${key}`).join(', ')}`] : [];
}
