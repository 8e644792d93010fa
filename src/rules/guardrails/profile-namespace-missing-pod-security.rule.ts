import { PROFILE_READS } from '../rule-defaults.js';
import { defineRule } from '../../core/rule.js';
import { anchorOf, GUARDRAIL_MATCH, profileNamespacesOf } from './profile-namespaces.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const STRICT_ENOUGH = new Set(['baseline', 'restricted']);

export default defineRule({
  meta: {
    id: 'profile-namespace-missing-pod-security',
    title: 'Profile namespace does not enforce Pod Security baseline',
    severity: 'medium',
    category: 'guardrails',
    description:
      'A Kubeflow profile namespace will not carry `pod-security.kubernetes.io/enforce: baseline` or `restricted`: neither its Namespace nor the profile controller\'s `namespace-labels.yaml` defaults set it, or it is set to `privileged`.',
    rationale:
      'Profile users and every pipeline step in the namespace can create pods. Without Pod Security admission they can run privileged pods, mount the host filesystem or join the host network, which turns a namespace compromise into a node compromise.',
    remediation:
      'Add `pod-security.kubernetes.io/enforce: baseline` (or `restricted`) to the profile controller\'s `namespace-labels.yaml` ConfigMap (Kubeflow ships this as the `profiles-pss` overlay), or label the Namespace directly.',
    references: [
      'https://kubernetes.io/docs/concepts/security/pod-security-admission/',
      'https://github.com/kubeflow/manifests/tree/master/applications/profiles/pss',
    ],
    mitre: ['T1611', 'MS-TA9018'],
    match: GUARDRAIL_MATCH,
    sources: ['manifest', 'cluster'],
    needs: { reads: PROFILE_READS, snapshot: 'required', request: false, cost: 'cheap' },
    fixable: true,
  },
  *checkInventory(ctx) {
    for (const profileNamespace of profileNamespacesOf(ctx.inventory)) {
      const level = profileNamespace.labels[ENFORCE];
      if (level !== undefined && STRICT_ENOUGH.has(level)) continue;
      const target = anchorOf(profileNamespace);
      const onNamespace = target.object.kind === 'Namespace';
      yield {
        target,
        path: onNamespace ? `metadata.labels["${ENFORCE}"]` : 'metadata',
        message:
          level === undefined
            ? `Profile namespace ${profileNamespace.name} has no Pod Security enforce label${profileNamespace.labelDefaults ? '' : ' (and the profile controller\'s namespace-labels ConfigMap is not in the scan)'}`
            : `Profile namespace ${profileNamespace.name} enforces Pod Security level "${level}", weaker than baseline`,
      };
    }
  },
});
