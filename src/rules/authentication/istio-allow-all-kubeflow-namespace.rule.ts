import { asArray, asRecord, asString, describeObject, isRecord, namespaceOf, nameOf } from '../../core/object.js';
import { joinPath } from '../../core/path.js';
import { defineRule, type Violation } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import type { Inventory } from '../../core/inventory.js';
import { podLabelsOf } from '../../k8s/inventory.js';
import { matchesMapSelector } from '../../core/selectors.js';
import { isKubeflowNamespace } from '../../platforms/kubeflow-namespaces.js';
import { SPEC_SOURCES } from '../rule-defaults.js';

const WEBHOOK_KINDS = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

export default defineRule({
  meta: {
    id: 'istio-allow-all-kubeflow-namespace',
    title: 'Istio AuthorizationPolicy allows every caller in a Kubeflow namespace',
    severity: 'medium',
    category: 'authentication',
    description:
      "An Istio `AuthorizationPolicy` with action `ALLOW` (the default) has a rule that is an empty object (`rules: [{}]`), which matches every request, in a Kubeflow namespace (`kubeflow`, `kubeflow-system`, or a user profile namespace). The ingress gateway's own policies in `istio-system` are not reported; that is where an allow-all belongs.",
    rationale:
      "Kubeflow's multi-tenancy rests on Istio policies that admit only the gateway (carrying the user's identity header) or named service accounts. An allow-all rule lets any pod in the mesh — including every user's notebooks and pipeline steps — call the selected service directly, with a forged `kubeflow-userid` header if the service trusts it. A policy without a selector opens the whole namespace (`high`). A service that is also an admission webhook must accept the API server, which has no mesh identity; that case is `low` and the fix is to limit the rule to the webhook port.",
    remediation:
      'Replace `{}` with `from.source.principals` (or `namespaces`) naming the callers that need the service, and for webhooks add `to.operation.ports` so only the webhook port is open to callers without an identity.',
    references: [
      'https://istio.io/latest/docs/reference/config/security/authorization-policy/',
      'https://istio.io/latest/docs/ops/best-practices/security/#use-allow-with-positive-matching-and-deny-with-negative-match-patterns',
      'https://www.kubeflow.org/docs/components/multi-tenancy/design/',
    ],
    mitre: ['T1133', 'T1021', 'MS-TA9005'],
    match: [{ apiGroups: ['security.istio.io'], kinds: ['AuthorizationPolicy'] }],
    sources: SPEC_SOURCES,
    needs: { reads: '*', scope: 'namespace', snapshot: 'required', request: false, cost: 'moderate' },
  },
  *check(object, ctx): Iterable<Violation> {
    const spec = asRecord(object.spec);
    const action = asString(spec?.action) ?? 'ALLOW';
    if (action !== 'ALLOW' || !isKubeflowNamespace(namespaceOf(object), ctx.inventory)) return;
    const rules = asArray(spec?.rules);
    const emptyIndex = rules.findIndex((rule) => isRecord(rule) && Object.keys(rule).length === 0);
    if (emptyIndex === -1) return;
    const path = joinPath('spec', 'rules', emptyIndex);
    const matchLabels = asRecord(asRecord(spec?.selector)?.matchLabels) as Readonly<Record<string, string>> | undefined;
    if (!matchLabels || Object.keys(matchLabels).length === 0) {
      yield {
        message: `${describeObject(object)} allows every request to every workload in namespace ${namespaceOf(object)}: its rule ${emptyIndex} is empty and it has no selector.`,
        path,
        severity: 'high',
        evidence: [`${path}: {}`, 'no spec.selector'],
      };
      return;
    }
    const selector = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
    const webhooks = webhooksServedBy(object, matchLabels, ctx.inventory);
    if (webhooks.length > 0) {
      yield {
        message: `${describeObject(object)} allows every request to workloads labelled ${selector}; they serve admission webhooks (${webhooks.join(', ')}), which the API server calls without a mesh identity, but the empty rule opens every port to every mesh client too.`,
        path,
        severity: 'low',
        evidence: [`${path}: {}`, `selector ${selector}`, ...webhooks.map((w) => `webhook ${w}`)],
      };
      return;
    }
    yield {
      message: `${describeObject(object)} allows every request to workloads labelled ${selector}: any pod in the mesh, including user notebooks and pipeline steps, can call them directly.`,
      path,
      evidence: [`${path}: {}`, `selector ${selector}`],
    };
  },
});

/** Webhook configurations whose service runs on pods the policy selects. */
function webhooksServedBy(policy: K8sObject, matchLabels: Readonly<Record<string, string>>, inventory: Inventory): string[] {
  const namespace = namespaceOf(policy);
  const services = inventory
    .inNamespace(namespace)
    .filter(({ object }) => podLabelsOf(object).some((labels) => matchesMapSelector(matchLabels, labels)))
    .flatMap(({ object }) => inventory.servicesSelecting(object).map((s) => nameOf(s.object)));
  if (services.length === 0) return [];
  const names = new Set(services);
  return WEBHOOK_KINDS.flatMap((kind) => inventory.ofKind(kind))
    .filter(({ object }) =>
      asArray(object.webhooks).some((hook) => {
        const service = asRecord(asRecord(asRecord(hook)?.clientConfig)?.service);
        return asString(service?.namespace) === namespace && names.has(asString(service?.name) ?? '');
      }),
    )
    .map(({ object }) => `${object.kind} ${nameOf(object)}`);
}
