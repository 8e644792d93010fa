import { defaultDenyEgressPolicy, limitRange, resourceQuota } from '../generated-objects.js';
import { planOf, type Fixer, type GeneratedObject } from '../types.js';
import { REOPENS_PREFIX } from '../../rules/guardrails/profile-namespace-missing-egress-deny.rule.js';
import { namespaceFor } from './targets.js';

// RFC 5737 documentation range, so an unreviewed policy fails closed instead of trusting a real network.
const API_SERVER_PLACEHOLDER = '192.0.2.0/24';

function creating(summary: string, build: (namespace: string) => GeneratedObject): Fixer {
  return {
    summary,
    plan({ finding }) {
      const namespace = namespaceFor(finding);
      return namespace === undefined ? undefined : planOf({ creates: [build(namespace)] });
    },
  };
}

export const resourceQuotaFixer = creating('add a ResourceQuota with cpu, memory, GPU and pod bounds', resourceQuota);
export const limitRangeFixer = creating('add a LimitRange with default container requests and limits', limitRange);
const addDenyPolicy = creating('add a default-deny egress NetworkPolicy (DNS, API server, in-cluster allowed)', (ns) =>
  defaultDenyEgressPolicy(ns, API_SERVER_PLACEHOLDER),
);

/** A deny policy cannot close egress that another policy opens (policies add up), so that case is declined. */
export const egressPolicyFixer: Fixer = {
  summary: addDenyPolicy.summary,
  plan(context) {
    const opener = context.finding.evidence?.find((line) => line.startsWith(REOPENS_PREFIX) && line.endsWith('opens egress to the internet'));
    if (opener) return `${opener}; a new deny policy would not close that, so narrow that policy's egress rules to the destinations the team needs`;
    return addDenyPolicy.plan(context);
  },
};

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** Pod Security admission at baseline: no privileged pods, host namespaces or host paths. */
export const podSecurityFixer: Fixer = {
  summary: 'label the profile Namespace pod-security.kubernetes.io/enforce=baseline',
  plan({ object }) {
    if (object.kind !== 'Namespace') {
      return "the namespace is created by the profile controller: add the label to its namespace-labels.yaml (Kubeflow's profiles-pss overlay)";
    }
    return planOf({
      edits: [{ op: 'set', path: ['metadata', 'labels', ENFORCE_LABEL], value: 'baseline' }],
      notes: ['baseline Pod Security rejects privileged pods, host namespaces and hostPath volumes in the labelled namespaces: check running workloads first (kubectl label --dry-run=server)'],
    });
  },
};
