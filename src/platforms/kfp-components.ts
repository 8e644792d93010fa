import { asString, namespaceOf } from '../core/object.js';
import type { DerivedAnalysis, Inventory } from '../core/inventory.js';
import type { K8sObject } from '../core/types.js';
import { containersOf, type ContainerRef } from '../k8s/workloads.js';
import { parseImageRef } from '../k8s/image-ref.js';
import { resolveEnvInNamespace, type ResolvedEnv } from '../k8s/env-resolution.js';

const API_SERVER_IMAGE = /(^|\/)(kfp-api-server|ml-pipeline\/api-server)$/;
const FRONTEND_IMAGE = /(^|\/)(kfp-frontend|ml-pipeline\/frontend)$/;

export type KfpComponent = 'API server' | 'UI';

export function kfpComponentOf(site: ContainerRef): KfpComponent | undefined {
  const repository = parseImageRef(asString(site.container.image) ?? '')?.repository ?? '';
  if (API_SERVER_IMAGE.test(repository)) return 'API server';
  if (FRONTEND_IMAGE.test(repository)) return 'UI';
  return undefined;
}

/** What a namespace holding KFP components says about multi-user mode, whichever component asks. */
export interface KfpNamespaceMode {
  /** Every value `MULTIUSER` has in the namespace's workloads. */
  readonly multiUserEnv: readonly ResolvedEnv[];
  readonly apiServerPresent: boolean;
}

function isKfpComponent(object: K8sObject): boolean {
  return containersOf(object).some((site) => kfpComponentOf(site) !== undefined);
}

/**
 * Built once per snapshot version for the namespaces that run a KFP component, so N frontends in
 * one namespace read it once rather than N times each (issue 17: that was N²). Changes to objects
 * in other namespaces, or to non-KFP objects elsewhere, do not rebuild it.
 */
const KFP_NAMESPACES: DerivedAnalysis<ReadonlyMap<string, KfpNamespaceMode>> = {
  name: 'kfp namespace modes',
  relevant: isKfpComponent,
  build: (inventory) => {
    const namespaces = new Set<string>();
    for (const { object } of inventory.all) if (isKfpComponent(object)) namespaces.add(namespaceOf(object) ?? '');
    const modes = new Map<string, KfpNamespaceMode>();
    for (const namespace of namespaces) {
      const ns = namespace === '' ? undefined : namespace;
      modes.set(namespace, {
        multiUserEnv: resolveEnvInNamespace(inventory, ns, 'MULTIUSER'),
        apiServerPresent: inventory.inNamespace(ns).some(({ object }) => containersOf(object).some((site) => kfpComponentOf(site) === 'API server')),
      });
    }
    return modes;
  },
};

export function kfpNamespaceMode(inventory: Inventory, namespace: string | undefined): KfpNamespaceMode {
  return inventory.derived(KFP_NAMESPACES).get(namespace ?? '') ?? { multiUserEnv: resolveEnvInNamespace(inventory, namespace, 'MULTIUSER'), apiServerPresent: false };
}
