/**
 * Test-only: how the fake API server names the kinds it serves (plural resource, scope). Built-in
 * kinds come from the table below (the real API server's names); custom kinds from the
 * CustomResourceDefinitions among the served objects, as a real server learns them.
 */
import type { K8sObject } from '../../core/types.js';

export interface ServedKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

/** Built-in kinds a real server serves even with none of them stored: `group/version kind plural scope`. */
const BUILTIN = `
v1 Pod pods ns
v1 Service services ns
v1 ConfigMap configmaps ns
v1 Secret secrets ns
v1 ServiceAccount serviceaccounts ns
v1 Namespace namespaces cluster
v1 ResourceQuota resourcequotas ns
v1 LimitRange limitranges ns
v1 ReplicationController replicationcontrollers ns
v1 PersistentVolumeClaim persistentvolumeclaims ns
v1 Node nodes cluster
apps/v1 Deployment deployments ns
apps/v1 StatefulSet statefulsets ns
apps/v1 DaemonSet daemonsets ns
apps/v1 ReplicaSet replicasets ns
batch/v1 Job jobs ns
batch/v1 CronJob cronjobs ns
networking.k8s.io/v1 Ingress ingresses ns
networking.k8s.io/v1 NetworkPolicy networkpolicies ns
rbac.authorization.k8s.io/v1 Role roles ns
rbac.authorization.k8s.io/v1 ClusterRole clusterroles cluster
rbac.authorization.k8s.io/v1 RoleBinding rolebindings ns
rbac.authorization.k8s.io/v1 ClusterRoleBinding clusterrolebindings cluster
apiextensions.k8s.io/v1 CustomResourceDefinition customresourcedefinitions cluster
admissionregistration.k8s.io/v1 MutatingWebhookConfiguration mutatingwebhookconfigurations cluster
admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration validatingwebhookconfigurations cluster
autoscaling/v2 HorizontalPodAutoscaler horizontalpodautoscalers ns
policy/v1 PodDisruptionBudget poddisruptionbudgets ns
scheduling.k8s.io/v1 PriorityClass priorityclasses cluster
events.k8s.io/v1 Event events ns
`;

export const BUILTIN_KINDS: readonly ServedKind[] = BUILTIN.trim()
  .split('\n')
  .map((line) => {
    const [groupVersion = '', kind = '', plural = '', scope] = line.split(' ');
    const slash = groupVersion.indexOf('/');
    return {
      group: slash === -1 ? '' : groupVersion.slice(0, slash),
      version: groupVersion.slice(slash + 1),
      kind,
      plural,
      namespaced: scope === 'ns',
    };
  });

/** Kinds named by the CRDs among `objects`, one entry per served version. */
export function crdKinds(objects: readonly K8sObject[]): ServedKind[] {
  const kinds: ServedKind[] = [];
  for (const crd of objects) {
    if (crd.kind !== 'CustomResourceDefinition') continue;
    const spec = crd.spec as { group?: string; scope?: string; names?: { kind?: string; plural?: string }; versions?: { name?: string; served?: boolean }[] } | undefined;
    if (!spec?.group || !spec.names?.kind || !spec.names.plural) continue;
    for (const version of spec.versions ?? []) {
      if (!version.name || version.served === false) continue;
      kinds.push({ group: spec.group, version: version.name, kind: spec.names.kind, plural: spec.names.plural, namespaced: spec.scope !== 'Cluster' });
    }
  }
  return kinds;
}

/**
 * The kind an object is served as. Objects of a custom kind without a CRD still get served (tests
 * load miner Pods next to a Ray cluster without shipping Ray's CRDs): plural by the usual rule,
 * namespaced when the object has a namespace.
 */
export function guessKind(object: K8sObject): ServedKind {
  const slash = object.apiVersion.indexOf('/');
  const lower = object.kind.toLowerCase();
  // As the API server's own default (gengo's namer): a consonant before `y` makes `ies` (policies),
  // a vowel keeps it (gateways, not gatewaies).
  const plural = /(s|x|z|ch|sh)$/.test(lower) ? `${lower}es` : /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  return {
    group: slash === -1 ? '' : object.apiVersion.slice(0, slash),
    version: object.apiVersion.slice(slash + 1),
    kind: object.kind,
    plural,
    namespaced: object.metadata?.namespace !== undefined,
  };
}
