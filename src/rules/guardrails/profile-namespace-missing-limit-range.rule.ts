import { PROFILE_READS } from '../rule-defaults.js';
import { namespaceOf } from '../../core/object.js';
import { defineRule } from '../../core/rule.js';
import { anchorOf, GUARDRAIL_MATCH, profileNamespacesOf } from './profile-namespaces.js';

export default defineRule({
  meta: {
    id: 'profile-namespace-missing-limit-range',
    title: 'Profile namespace has no LimitRange',
    severity: 'low',
    category: 'guardrails',
    description: 'A Kubeflow profile namespace has no LimitRange in the scanned set.',
    rationale:
      'Without default requests and limits, containers that declare none run unbounded, and a cpu/memory ResourceQuota rejects them outright instead of charging defaults. A LimitRange caps each container, so one runaway or malicious pod cannot take a whole node.',
    remediation:
      'Add a LimitRange with `default`, `defaultRequest` and `max` for containers in the namespace (the profile controller does not create one; ship it with the Profile, for example through a KFP profile-controller or a policy engine).',
    references: ['https://kubernetes.io/docs/concepts/policy/limit-range/'],
    mitre: ['T1496', 'MS-TA9039'],
    match: GUARDRAIL_MATCH,
    sources: ['manifest', 'cluster'],
    needs: { reads: [...PROFILE_READS, 'LimitRange'], snapshot: 'required', request: false, cost: 'cheap' },
    fixable: true,
  },
  *checkInventory(ctx) {
    const withLimits = new Set(ctx.inventory.ofKind('LimitRange', '').map((s) => namespaceOf(s.object)));
    for (const profileNamespace of profileNamespacesOf(ctx.inventory)) {
      if (withLimits.has(profileNamespace.name)) continue;
      const target = anchorOf(profileNamespace);
      yield {
        target,
        path: target.object.kind === 'Profile' ? 'spec' : 'metadata.name',
        message: `Profile namespace ${profileNamespace.name} has no LimitRange: containers without limits run unbounded`,
      };
    }
  },
});
