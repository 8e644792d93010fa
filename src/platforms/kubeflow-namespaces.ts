import { labelsOf, nameOf } from '../core/object.js';
import type { Inventory } from '../core/inventory.js';

/** Namespaces Kubeflow itself runs in; third-party ones it ships (istio-system, knative-serving, auth) are not. */
const KUBEFLOW_NAMESPACES = new Set(['kubeflow', 'kubeflow-system']);
/** Label the profile controller puts on every user namespace. */
const PROFILE_LABEL = 'app.kubernetes.io/part-of';
const PROFILE_LABEL_VALUE = 'kubeflow-profile';

/** True for Kubeflow's own namespaces and user profile namespaces. */
export function isKubeflowNamespace(namespace: string | undefined, inventory: Inventory): boolean {
  if (namespace === undefined) return false;
  if (KUBEFLOW_NAMESPACES.has(namespace) || namespace.startsWith('kubeflow-')) return true;
  if (inventory.ofKind('Profile').some(({ object }) => nameOf(object) === namespace)) return true;
  const ns = inventory.get('Namespace', undefined, namespace, '')?.object;
  return ns !== undefined && labelsOf(ns)[PROFILE_LABEL] === PROFILE_LABEL_VALUE;
}
