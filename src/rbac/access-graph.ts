import { asArray, asRecord, asString, labelsOf, nameOf, namespaceOf } from '../core/object.js';
import type { ScannedObject } from '../core/types.js';
import type { DerivedAnalysis, Inventory } from '../core/inventory.js';
import { matchesLabelSelector } from '../core/selectors.js';
import { builtinClusterRoles } from './builtin-roles.js';
import type { BindingSpec, Grant, RoleNode } from './grant.js';
import { readPolicyRules } from './policy-rule.js';
import { profileBindingsOf } from './profile-bindings.js';
import { readSubject } from './subjects.js';

// The types live in grant.ts so profile-bindings.ts can build grants without importing this file.
export type { Grant, RoleNode } from './grant.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface AccessGraph {
  readonly grants: readonly Grant[];
  clusterRole(name: string): RoleNode | undefined;
  role(namespace: string, name: string): RoleNode | undefined;
  /** Grants made by one binding object (or Profile). */
  grantsFrom(source: ScannedObject): readonly Grant[];
}

const ACCESS_GRAPH: DerivedAnalysis<AccessGraph> = { name: 'rbac access graph', build: (inventory) => buildAccessGraph(inventory) };

/** The access graph of a scanned set, built once per snapshot version. */
export function accessGraphOf(inventory: Inventory): AccessGraph {
  return inventory.derived(ACCESS_GRAPH);
}

function rbacObjects(inventory: Inventory, kind: string): readonly ScannedObject[] {
  return inventory.ofKind(kind, RBAC_GROUP);
}

function buildAccessGraph(inventory: Inventory): AccessGraph {
  const clusterRoles = resolveClusterRoles(rbacObjects(inventory, 'ClusterRole'));
  const roles = new Map<string, RoleNode>();
  for (const scanned of rbacObjects(inventory, 'Role')) {
    const namespace = namespaceOf(scanned.object) ?? '';
    const node: RoleNode = {
      kind: 'Role',
      name: nameOf(scanned.object),
      namespace,
      rules: readPolicyRules(scanned.object.rules),
      scanned,
      aggregatedFrom: [],
    };
    roles.set(`${namespace}/${node.name}`, node);
  }
  const lookup = (kind: string, namespace: string | undefined, name: string): RoleNode | undefined =>
    kind === 'ClusterRole' ? clusterRoles.get(name) : roles.get(`${namespace ?? ''}/${name}`);

  const specs: BindingSpec[] = [
    ...[...rbacObjects(inventory, 'ClusterRoleBinding'), ...rbacObjects(inventory, 'RoleBinding')].flatMap(bindingSpecsOf),
    ...inventory
      .ofKind('Profile', 'kubeflow.org')
      .flatMap((profile) => profileBindingsOf(profile, (namespace, name) => inventory.get('RoleBinding', namespace, name, RBAC_GROUP) !== undefined)),
  ];
  const grants: Grant[] = specs.map((spec) => {
    const role = lookup(spec.roleRef.kind, spec.namespace === '*' ? undefined : spec.namespace, spec.roleRef.name);
    return role ? { ...spec, role } : spec;
  });
  const bySource = new Map<ScannedObject, Grant[]>();
  for (const grant of grants) {
    const list = bySource.get(grant.source);
    if (list) list.push(grant);
    else bySource.set(grant.source, [grant]);
  }

  return {
    grants,
    clusterRole: (name) => clusterRoles.get(name),
    role: (namespace, name) => roles.get(`${namespace}/${name}`),
    grantsFrom: (source) => bySource.get(source) ?? [],
  };
}

function bindingSpecsOf(scanned: ScannedObject): BindingSpec[] {
  const { object } = scanned;
  const clusterWide = object.kind === 'ClusterRoleBinding';
  const namespace = clusterWide ? '*' : (namespaceOf(object) ?? '');
  const roleRef = asRecord(object.roleRef);
  const ref = { kind: asString(roleRef?.kind) ?? 'ClusterRole', name: asString(roleRef?.name) ?? '' };
  const via = `${object.kind} ${clusterWide ? '' : `${namespace}/`}${nameOf(object)}`;
  return asArray(object.subjects).flatMap((raw, index) => {
    const subject = readSubject(raw, clusterWide ? undefined : namespace);
    return subject ? [{ subject, namespace, roleRef: ref, source: scanned, via, subjectPath: `subjects[${index}]` }] : [];
  });
}

/** Builds every ClusterRole, folding aggregated rules in the way the aggregation controller does. */
function resolveClusterRoles(scannedRoles: readonly ScannedObject[]): Map<string, RoleNode> {
  const byName = new Map<string, ScannedObject>();
  for (const scanned of scannedRoles) byName.set(nameOf(scanned.object), scanned);
  const resolved = new Map<string, RoleNode>();

  /** `complete` is false when an aggregation cycle cut the walk short; such nodes are not cached. */
  const resolve = (name: string, visiting: ReadonlySet<string>): { node?: RoleNode; complete: boolean } => {
    const done = resolved.get(name);
    if (done) return { node: done, complete: true };
    const scanned = byName.get(name);
    if (!scanned) {
      const builtin = builtinClusterRoles().get(name);
      return { ...(builtin ? { node: { kind: 'ClusterRole', name, rules: builtin, aggregatedFrom: [] } } : {}), complete: true };
    }
    const ownRules = readPolicyRules(scanned.object.rules);
    const selectors = asArray(asRecord(scanned.object.aggregationRule)?.clusterRoleSelectors).filter((s) => asRecord(s) !== undefined);
    const rules = [...ownRules];
    const aggregatedFrom: string[] = [];
    let complete = true;
    if (selectors.length > 0) {
      const nextVisiting = new Set([...visiting, name]);
      for (const [otherName, other] of byName) {
        if (!selectors.some((selector) => matchesLabelSelector(selector, labelsOf(other.object)))) continue;
        if (nextVisiting.has(otherName)) {
          complete = false;
          continue;
        }
        const inner = resolve(otherName, nextVisiting);
        complete &&= inner.complete;
        if (!inner.node) continue;
        aggregatedFrom.push(otherName, ...inner.node.aggregatedFrom);
        rules.push(...inner.node.rules);
      }
    }
    const node: RoleNode = { kind: 'ClusterRole', name, rules, scanned, aggregatedFrom: [...new Set(aggregatedFrom)] };
    // A role reached while an aggregation cycle is open is incomplete; cache only finished ones.
    if (complete || visiting.size === 0) resolved.set(name, node);
    return { node, complete };
  };

  const all = new Map<string, RoleNode>();
  for (const name of [...byName.keys(), ...builtinClusterRoles().keys()]) {
    const { node } = resolve(name, new Set());
    if (node) all.set(name, node);
  }
  return all;
}
