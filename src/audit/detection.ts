import type { RuleMeta } from '../core/rule.js';
import type { Severity } from '../core/severity.js';
import type { Category, K8sObject, ResourceRef } from '../core/types.js';
import type { AuditEvent } from './event.js';
import type { PodRoles } from './pod-roles.js';
import type { ScheduledRuns } from './scheduled-runs.js';

/**
 * A detection that judges a request, not an object: who did what, and what the object was before.
 * It has rule metadata (an id, severity, remediation, MITRE ids) so every report format shows it
 * like a rule's finding; the object rules (the miner rule) run unchanged beside these.
 */
export type AuditDetectionMeta = Pick<RuleMeta, 'id' | 'title' | 'severity' | 'description' | 'rationale' | 'remediation' | 'references' | 'mitre' | 'options'> & {
  readonly category: Category;
};

export interface AuditHit {
  readonly resource: ResourceRef;
  readonly message: string;
  readonly severity?: Severity;
  readonly evidence?: readonly string[];
  readonly path?: string;
  /** Folded into the fingerprint: hits with the same one on the same object are one finding, counted. */
  readonly discriminator?: string;
}

export interface HuntSettings {
  /** Service accounts a pipeline run's pods may use (per namespace they are the same names). */
  readonly runnerServiceAccounts: readonly string[];
  /** A burst: pipeline or job pods created in at least this many namespaces ... */
  readonly burstNamespaces: number;
  /** ... within this many milliseconds. */
  readonly burstWindowMs: number;
}

export const DEFAULT_HUNT_SETTINGS: HuntSettings = {
  // pipeline-runner: KFP standalone; default-editor: the multi-user profile namespaces.
  // https://www.kubeflow.org/docs/components/pipelines/operator-guides/multi-user/
  runnerServiceAccounts: ['pipeline-runner', 'default-editor'],
  burstNamespaces: 5,
  // The 2021 campaign's pods appeared "simultaneously" (threat-intel.md §1.2): a script, not
  // people. Ten minutes caught ordinary daytime use of a shared Kubeflow; two do not.
  burstWindowMs: 2 * 60 * 1000,
};

/** One judged request, with the object before and after it where the log shows them. */
export interface EventContext {
  readonly event: AuditEvent;
  /** The object's last state in the log before this request. */
  readonly before?: K8sObject;
  /**
   * Set when a deletecollection since `before` was kept may have deleted it (deleted-collections.ts):
   * the request that may have. `before` is still given; a detection must not let it hide a finding.
   */
  readonly beforeDeletedBy?: string;
  /** The object after this request: the request or response object, or the patch applied to `before`. */
  readonly after?: K8sObject;
  /** Set when `after` is a patch body applied to nothing, because the log held no earlier state. */
  readonly afterFromPatchAlone: boolean;
  readonly settings: HuntSettings;
  readonly podRoles: PodRoles;
  /** The Workflows and Jobs the log shows were created for scheduled runs. */
  readonly scheduledRuns: ScheduledRuns;
}

export interface AuditDetection {
  readonly meta: AuditDetectionMeta;
  /** A fresh judge per run, for detections that remember across events (bursts). */
  start(settings: HuntSettings): (context: EventContext) => Iterable<AuditHit>;
}

/** The detection's metadata as a rule's, so formats that list rules (SARIF) describe it. */
export function asRuleMeta(meta: AuditDetectionMeta): RuleMeta {
  return { ...meta, match: [], sources: ['audit'], needs: { reads: [], snapshot: 'none', request: true, cost: 'cheap' } };
}

/** The resource an event is about, from its objectRef (the object's own apiVersion and kind when known). */
export function resourceOfEvent(context: EventContext, fallbackKind: string): ResourceRef {
  const object = context.after ?? context.before;
  const ref = context.event.objectRef;
  return {
    apiVersion: object?.apiVersion ?? (ref.apiGroup ? `${ref.apiGroup}/${ref.apiVersion ?? ''}` : (ref.apiVersion ?? 'v1')),
    kind: object?.kind ?? fallbackKind,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    // `||`: an objectRef may carry an empty name as well as none; the object names itself then.
    name: ref.name || (typeof object?.metadata?.name === 'string' ? object.metadata.name : ''),
  };
}

export { MUTATING_VERBS } from './verbs.js';
