import type { PodRole } from './pod-roles.js';

/**
 * What a pod's name and namespace say it is, for an `exec` into a pod whose creation the log does
 * not hold. Only patterns the controllers write: KubeRay's `CLUSTER-head-XXXXX` and
 * `CLUSTER-GROUP-worker-XXXXX` (ray-project/kuberay ray-operator/controllers/ray/common/pod.go),
 * a notebook StatefulSet's `NAME-0` in a profile namespace (kubeflow/notebooks notebook-controller),
 * Argo's step pods `WORKFLOW-TEMPLATE-NNNNNNNNNN` / `WORKFLOW-XXXXX-NNNNNNNNNN` (argoproj/argo-workflows
 * workflow/util pod name v1 and v2), and KFP v2's driver and executor steps (`…-system-container-impl-…`).
 * A name is weaker evidence than the pod's labels, and the finding says it was read from the name.
 */
export function podRoleFromName(namespace: string | undefined, name: string | undefined): PodRole | undefined {
  if (!name) return undefined;
  const ns = namespace ?? '';
  if (/-(head|worker)-[a-z0-9]{5}$/.test(name) && (/ray/.test(name) || /ray/.test(ns))) return 'ray';
  if (/-system-(container|dag)-(impl|driver)-/.test(name)) return 'pipeline';
  if (/-\d{8,10}$/.test(name) && !SYSTEM_NAMESPACE.test(ns)) return 'pipeline';
  if (/-0$/.test(name) && !SYSTEM_NAMESPACE.test(ns)) return 'notebook';
  return undefined;
}

/** Namespaces of the platform itself, never a profile's: a `-0` pod there is a database or a controller. */
const SYSTEM_NAMESPACE = /^(kube-.*|kubeflow|istio-system|knative-.*|cert-manager|auth|oauth2-proxy|argo|monitoring|default)$/;
