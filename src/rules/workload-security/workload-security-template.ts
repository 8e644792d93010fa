import { defineRule, NO_VIOLATIONS, type Rule, type RuleContext, type RuleMeta, type Violation } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import type { K8sObject } from '../../core/types.js';
import { hostPathVolumesOf, podLevelSpecsOf, type HostPathVolume, type PodLevelSpec } from '../../k8s/pod-level.js';
import { NODE_AGENT_NOTE, NODE_AGENT_SEVERITY_NOTE, isNodeAgentNamespace, pssSeverity } from '../../k8s/system-namespaces.js';
import { containersOf, type ContainerRef } from '../../k8s/workloads.js';
import { ANY_KIND, OBJECT_ONLY, OBJECT_SOURCES } from '../rule-defaults.js';

/**
 * One Pod Security Standards check, as kube-linter templates its checks: a rule picks where to
 * look (`scope`) and how to judge each place (`judge`); the template walks every workload shape,
 * lowers node agents to `info` with a note, and fills in the metadata the checks share.
 */

/** Where a check looks, each found through the one workload-shape registry. */
export interface Scopes {
  readonly container: ContainerRef;
  readonly pod: PodLevelSpec;
  readonly hostPathVolume: HostPathVolume;
}

const SCOPES: { readonly [S in keyof Scopes]: (object: K8sObject) => readonly Scopes[S][] } = {
  container: containersOf,
  pod: podLevelSpecsOf,
  hostPathVolume: hostPathVolumesOf,
};

/** One offending field of one place, before the node-agent policy is applied. */
export interface Hit {
  readonly message: string;
  readonly path: string;
  readonly severity: Severity;
  /** The field as written, e.g. `….privileged: true`. */
  readonly evidence: string;
  /** Folded into the fingerprint; the path unless a check says otherwise. */
  readonly discriminator?: string;
}

export interface WorkloadSecurityCheck<S extends keyof Scopes> {
  /** Metadata; the description gets the node-agent severity note appended. */
  readonly meta: Omit<RuleMeta, 'category' | 'match' | 'sources' | 'needs'>;
  readonly scope: S;
  readonly judge: (place: Scopes[S], ctx: RuleContext) => Iterable<Hit>;
}

export function workloadSecurityRule<S extends keyof Scopes>(check: WorkloadSecurityCheck<S>): Rule {
  const find = SCOPES[check.scope] as (object: K8sObject) => readonly Scopes[S][];
  return defineRule({
    meta: {
      ...check.meta,
      category: 'workload-security',
      description: check.meta.description + NODE_AGENT_SEVERITY_NOTE,
      match: ANY_KIND,
      sources: OBJECT_SOURCES,
      needs: OBJECT_ONLY,
    },
    check(object, ctx): Iterable<Violation> {
      const nodeAgent = isNodeAgentNamespace(object);
      const places = find(object);
      // Most objects have no place of this scope (no host-path volume): no generator for them.
      return places.length === 0 ? NO_VIOLATIONS : violationsAt(check, object, ctx, nodeAgent, places);
    },
  });
}

function* violationsAt<S extends keyof Scopes>(check: WorkloadSecurityCheck<S>, object: K8sObject, ctx: RuleContext, nodeAgent: boolean, places: readonly Scopes[S][]): Iterable<Violation> {
  for (const place of places) {
    for (const hit of check.judge(place, ctx)) {
      yield {
        message: hit.message,
        path: hit.path,
        severity: pssSeverity(object, hit.severity),
        evidence: [hit.evidence, ...(nodeAgent ? [NODE_AGENT_NOTE] : [])],
        discriminator: hit.discriminator ?? hit.path,
      };
    }
  }
}
