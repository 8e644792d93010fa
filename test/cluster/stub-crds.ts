/**
 * Test-only: CustomResourceDefinitions for the custom kinds a test creates on a real API server
 * that serves them nowhere yet. The fake API server serves any kind it is given (tests load Istio
 * routes and miner Pods without shipping Istio's CRDs); a real server refuses an object of a kind
 * no CRD defines. A stub keeps every field (`x-kubernetes-preserve-unknown-fields`), so the object
 * is stored as the file carries it, and is served in every version the objects use, without
 * conversion (the server only rewrites apiVersion, as the fake does).
 */
import type { K8sObject } from '../../src/core/types.js';
import { guessKind } from '../../src/testing/fake-apiserver/resource-table.js';

/** Marks what the live-cluster helper created as scaffolding, so a leftover is recognisable. */
export const SCAFFOLD_LABEL = 'kfguard.test/scaffold';

/** One CRD per group and kind among `objects`, except kinds `defined` already serves. */
export function stubCrds(objects: readonly K8sObject[], defined: (group: string, kind: string) => boolean): K8sObject[] {
  const byKind = new Map<string, { group: string; kind: string; plural: string; namespaced: boolean; versions: Set<string> }>();
  for (const object of objects) {
    const slash = object.apiVersion.indexOf('/');
    if (slash === -1) throw new Error(`no CRD can serve the core kind ${object.kind}: the API server does not serve it`);
    const group = object.apiVersion.slice(0, slash);
    if (defined(group, object.kind)) continue;
    const served = guessKind(object);
    const key = `${group}/${object.kind}`;
    const entry = byKind.get(key) ?? { group, kind: object.kind, plural: served.plural, namespaced: served.namespaced, versions: new Set<string>() };
    entry.versions.add(served.version);
    byKind.set(key, entry);
  }
  return [...byKind.values()].map(({ group, kind, plural, namespaced, versions }) => {
    const names = [...versions].sort();
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.${group}`, labels: { [SCAFFOLD_LABEL]: 'stub-crd' } },
      spec: {
        group,
        scope: namespaced ? 'Namespaced' : 'Cluster',
        names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
        // Exactly one version is the storage version; which one does not matter without conversion.
        versions: names.map((name, i) => ({ name, served: true, storage: i === 0, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } })),
      },
    };
  });
}
