import type { PathSegment } from '../core/path.js';
import type { Severity } from '../core/severity.js';
import type { Finding, K8sObject, ResourceRef } from '../core/types.js';

/** One change to an object, addressed by segments relative to the object's root. */
export type ObjectEdit =
  | {
      readonly op: 'set';
      readonly path: readonly PathSegment[];
      readonly value: unknown;
      /** Line comment put next to the new value, e.g. to flag a placeholder. */
      readonly comment?: string;
    }
  /** Adds to the end of a list, creating the list when it is missing. */
  | { readonly op: 'append'; readonly path: readonly PathSegment[]; readonly value: unknown }
  /**
   * Indices in every path refer to the object as parsed: the applier runs sets and appends
   * first, then deletes from the highest index down, so edits from several fixers compose.
   */
  | { readonly op: 'delete'; readonly path: readonly PathSegment[] };

/** A whole new object the fix adds, with what the operator must review before applying it. */
export interface GeneratedObject {
  readonly object: K8sObject;
  readonly review: string;
}

/** Edits to an object other than the finding's own (the ConfigMap a workload mounts). */
export interface RelatedEdits {
  readonly ref: ResourceRef;
  readonly edits: readonly ObjectEdit[];
}

export interface FixPlan {
  readonly edits: readonly ObjectEdit[];
  readonly related: readonly RelatedEdits[];
  readonly creates: readonly GeneratedObject[];
  /** Follow-up steps kfguard cannot do itself (create a Secret, replace a placeholder). */
  readonly notes: readonly string[];
  /**
   * Set when the patch mitigates without clearing: the finding may stay, at most at this severity
   * (an authenticated gateway that still faces the internet is reported as low).
   */
  readonly residualSeverity?: Severity;
}

export interface FixOptions {
  /** Keep a LoadBalancer Service and restrict it with `loadBalancerSourceRanges` instead. */
  readonly keepLoadBalancer: boolean;
  /** CIDR written where the operator must put their own range. */
  readonly placeholderCidr: string;
}

export const DEFAULT_FIX_OPTIONS: FixOptions = {
  keepLoadBalancer: false,
  // RFC 5737 documentation range: syntactically valid, routes nowhere, obviously a placeholder.
  placeholderCidr: '203.0.113.0/24',
};

export interface FixInput {
  readonly finding: Finding;
  /** The object the finding is about, as parsed; fixers must not modify it. */
  readonly object: K8sObject;
  readonly options: FixOptions;
  /** Another scanned object by kind, namespace and name. */
  readonly lookup: (kind: string, namespace: string | undefined, name: string) => K8sObject | undefined;
}

/**
 * Computes the patch for one finding. Returns a string saying why when this finding has no
 * automatic fix, or undefined when the finding has a shape the fixer does not know.
 */
export interface Fixer {
  /** Short description for `kfguard fix` output. */
  readonly summary: string;
  plan(input: FixInput): FixPlan | string | undefined;
}

export function planOf(parts: Partial<FixPlan>): FixPlan {
  const plan = { edits: parts.edits ?? [], related: parts.related ?? [], creates: parts.creates ?? [], notes: parts.notes ?? [] };
  return parts.residualSeverity === undefined ? plan : { ...plan, residualSeverity: parts.residualSeverity };
}
