import type { KindMatch } from '../../core/rule.js';

/** Objects that can face outside the cluster; exposure findings are reported on them. */
export const EXPOSURE_ENTRY_KINDS: readonly KindMatch[] = [
  { apiGroups: [''], kinds: ['Service'] },
  { apiGroups: ['networking.k8s.io', 'extensions'], kinds: ['Ingress'] },
  // Routes are entries themselves when their parent Gateway is not in the scanned files.
  { apiGroups: ['gateway.networking.k8s.io'], kinds: ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'] },
  { apiGroups: ['route.openshift.io'], kinds: ['Route'] },
  { apiGroups: ['kustomize.config.k8s.io'], kinds: ['Kustomization'] },
];
