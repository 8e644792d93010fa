// The RBAC graph's node types, kept apart from access-graph.ts so that profile-bindings.ts (which
// access-graph.ts calls) can describe the grants it implies without importing it back.
import type { ScannedObject } from '../core/types.js';
import type { PolicyRule } from './policy-rule.js';
import type { Subject } from './subjects.js';

/** A Role or ClusterRole with its effective rules (aggregation resolved). */
export interface RoleNode {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
  readonly namespace?: string;
  readonly rules: readonly PolicyRule[];
  /** Absent for the API server's built-in roles. */
  readonly scanned?: ScannedObject;
  /** ClusterRoles whose rules were folded in through `aggregationRule`, transitively. */
  readonly aggregatedFrom: readonly string[];
}

/** One subject of one binding: who gets which role where. */
export interface Grant {
  readonly subject: Subject;
  /** The binding's namespace, or `*` for a ClusterRoleBinding. */
  readonly namespace: string;
  readonly roleRef: { readonly kind: string; readonly name: string };
  /** Undefined when the role is neither scanned nor built in: its rights are unknown. */
  readonly role?: RoleNode;
  /** The object that grants it: a binding, or a Profile for the bindings its controller creates. */
  readonly source: ScannedObject;
  /** `ClusterRoleBinding cluster-admin-x`, or `Profile team-a (RoleBinding default-editor)`. */
  readonly via: string;
  /** Path of the subject inside `source`, for findings. */
  readonly subjectPath: string;
}

/** A grant as read from a binding, before its role is looked up. */
export type BindingSpec = Omit<Grant, 'role'>;
