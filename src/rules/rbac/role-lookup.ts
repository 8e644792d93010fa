import { nameOf, namespaceOf } from '../../core/object.js';
import type { K8sObject } from '../../core/types.js';
import type { Inventory } from '../../core/inventory.js';
import { accessGraphOf, type Grant } from '../../rbac/access-graph.js';
import { grantsOfRole } from '../../rbac/role-exposure.js';

/** Every grant of a scanned Role or ClusterRole, aggregation included. */
export function grantsOfRoleObject(inventory: Inventory, object: K8sObject): Grant[] {
  const graph = accessGraphOf(inventory);
  const role = object.kind === 'ClusterRole' ? graph.clusterRole(nameOf(object)) : graph.role(namespaceOf(object) ?? '', nameOf(object));
  return role ? grantsOfRole(graph, role) : [];
}
