import { severityRank } from '../core/severity.js';
import type { KfguardConfig } from '../core/config-types.js';
import { DEFAULT_CONFIG } from '../core/config-types.js';
import { errorMessage } from '../core/errors.js';
import { runRules } from '../core/engine.js';
import { selfExemptionNote } from '../suppress/apply.js';
import { fingerprintOf } from '../core/fingerprint.js';
import { isK8sObject } from '../core/object.js';
import type { Rule } from '../core/rule.js';
import type { CoverageEntry, Finding, InputError, K8sObject, ResourceRef, RuleError } from '../core/types.js';
import { podLabelsOf } from '../k8s/inventory.js';
import { LazyInventory } from '../core/lazy-inventory.js';
import { Snapshot } from '../core/snapshot.js';
import type { TimelineActor } from '../report/report.js';
import type { AuditRecord } from './read/audit-records.js';
import { DEFAULT_HUNT_SETTINGS, MUTATING_VERBS, type AuditDetection, type AuditHit, type EventContext, type HuntSettings } from './detection.js';
import { AUDIT_DETECTIONS } from './detections/index.js';
import { auditOriginOf } from './origin.js';
import { auditEventOf, detached, isJudgedStage, isWorthJudging, requestObjectOf, responseObjectOf, succeeded, type AuditEvent, type AuditObjectRef } from './event.js';
import { ConfigState, configRefsOf, type ConfigKind, type ConfigRef } from './config-state.js';
import { ConfigReaders } from './config-readers.js';
import { DeletedCollections, deletionName, possiblyDeletedNote } from './deleted-collections.js';
import { ObjectState } from './object-state.js';
import { applyPatch } from './patch.js';
import { attemptFinding } from './attempt.js';
import { createdRef, namedAsStored, unnamedNote } from './created-name.js';
import { outcomeOf, refused } from './outcome.js';
import { PodRoles } from './pod-roles.js';
import { ScheduledRuns } from './scheduled-runs.js';
import { kindOfResource, TRACKED_RESOURCES, WORKLOAD_RESOURCES } from './resource-kinds.js';
import { WorkloadState } from './workload-state.js';
import { Timeline } from './timeline.js';

const EPHEMERAL = 'ephemeralcontainers';
/** The verbs whose object the object rules judge. */
const WRITES: ReadonlySet<string> = new Set(['create', 'update', 'patch']);

export interface AuditHuntOptions {
  /** The object rules; only those that judge audit events run, the others get one coverage entry each. */
  readonly rules: readonly Rule[];
  readonly detections?: readonly AuditDetection[];
  readonly config?: KfguardConfig;
  readonly settings?: HuntSettings;
  /** Judge only requests received at or after / before these times (ms since the epoch). */
  readonly since?: number;
  readonly until?: number;
  readonly limits?: Partial<AuditHuntLimits>;
}

export interface AuditHuntLimits {
  /** auditIDs remembered for de-duplication (only requests that are judged are remembered). */
  readonly maxRememberedIds: number;
  readonly maxTrackedObjects: number;
  readonly maxTrackedPods: number;
  /** Bytes of ConfigMap and Secret data kept (as JSON text) for the workloads that read them. */
  readonly maxConfigBytes: number;
  /** Bytes of workloads' last state kept (as JSON text, two bytes a character), so a patch is judged on the object it leaves. */
  readonly maxWorkloadBytes: number;
  /**
   * The same for Pods, on their own budget: pods come in floods (every pipeline step is one), and
   * in a shared budget they would evict the Deployments and Workflows that made them. 0 (the
   * default) keeps none: a pod's command, args and env cannot be patched (only images), so its
   * create is judged whole, while keeping pods cost 12% more CPU and 36 MB more peak RSS at 8 MiB on
   * the 1 GB bench log (each kept text outlives the young generation; docs/benchmarks.md).
   */
  readonly maxPodStateBytes: number;
  /** Bytes of the workloads kept (as JSON text) that read a ConfigMap or Secret, judged again when it changes. */
  readonly maxConfigReaderBytes: number;
  /** Distinct findings kept; the rest are counted in a warning. */
  readonly maxFindings: number;
  /** Malformed lines listed one by one; the rest are counted in one more error. */
  readonly maxListedErrors: number;
}

/** The budgets `kfguard audit` uses unless its flags say otherwise (cli/audit-limit-flags.ts). */
export const DEFAULT_AUDIT_LIMITS: AuditHuntLimits = { maxRememberedIds: 1_000_000, maxTrackedObjects: 20_000, maxTrackedPods: 100_000, maxConfigBytes: 16 * 1024 * 1024, maxWorkloadBytes: 32 * 1024 * 1024, maxPodStateBytes: 0, maxConfigReaderBytes: 8 * 1024 * 1024, maxFindings: 10_000, maxListedErrors: 100 };

export interface AuditHuntStats {
  lines: number;
  events: number;
  judged: number;
  otherStages: number;
  duplicates: number;
  outsideWindow: number;
  malformed: number;
  patchesJudgedAlone: number;
  /** Writes to resources hunting judges that carried no body (logged at Metadata level): not judged. */
  writesWithoutBody: number;
}

export interface AuditHuntResult {
  readonly findings: Finding[];
  readonly ruleErrors: RuleError[];
  readonly coverage: CoverageEntry[];
  readonly errors: InputError[];
  readonly warnings: string[];
  readonly stats: AuditHuntStats;
  readonly timeline: TimelineActor[];
}

interface KeptFinding {
  finding: Finding;
  count: number;
  lastSeen?: string;
  /** What the kept finding replaced when a later hit on the same object was more severe. */
  escalatedFrom?: string;
}

/**
 * Hunting over one or more audit logs: every event is read once, in order. Requests are judged at
 * their final stage, once per auditID; the object a create, update or patch leaves is judged by
 * the object rules unchanged (the miner rule), and the request itself by the audit detections,
 * against the object's last state in the log.
 */
export class AuditHunt {
  private readonly limits: AuditHuntLimits;
  private readonly settings: HuntSettings;
  private readonly config: KfguardConfig;
  private readonly objectRules: readonly Rule[];
  private readonly judges: { readonly detection: AuditDetection; readonly judge: (context: EventContext) => Iterable<AuditHit> }[];
  private readonly state: ObjectState;
  private readonly configs: ConfigState;
  private readonly configReaders: ConfigReaders;
  /** Changes to a ConfigMap or Secret read by more workloads than are kept as its readers (said in a warning). */
  private readonly crowded: { changes: number; first: string | undefined; most: number } = { changes: 0, first: undefined, most: 0 };
  private readonly workloads: WorkloadState;
  private readonly podStates: WorkloadState;
  private readonly podRoles: PodRoles;
  private readonly scheduledRuns: ScheduledRuns;
  /** Shared by the kept states: a deletecollection marks what each kept of that collection as possibly deleted. */
  private readonly collections = new DeletedCollections();
  private readonly seen = new Set<string>();
  private readonly kept = new Map<string, KeptFinding>();
  private readonly timeline = new Timeline();
  private readonly ruleErrors: RuleError[] = [];
  private readonly coverage = new Map<string, CoverageEntry>();
  private readonly errors: InputError[] = [];
  private droppedFindings = 0;
  readonly stats: AuditHuntStats = { lines: 0, events: 0, judged: 0, otherStages: 0, duplicates: 0, outsideWindow: 0, malformed: 0, patchesJudgedAlone: 0, writesWithoutBody: 0 };

  constructor(private readonly options: AuditHuntOptions) {
    this.limits = { ...DEFAULT_AUDIT_LIMITS, ...options.limits };
    this.settings = options.settings ?? DEFAULT_HUNT_SETTINGS;
    this.config = options.config ?? DEFAULT_CONFIG;
    this.objectRules = options.rules;
    this.judges = (options.detections ?? AUDIT_DETECTIONS).map((detection) => ({ detection, judge: detection.start(this.settings) }));
    this.state = new ObjectState(this.limits.maxTrackedObjects, this.collections);
    this.configs = new ConfigState(this.limits.maxConfigBytes, undefined, this.collections);
    this.configReaders = new ConfigReaders(this.limits.maxConfigReaderBytes);
    this.workloads = new WorkloadState(this.limits.maxWorkloadBytes, this.limits.maxTrackedObjects, this.collections);
    this.podStates = new WorkloadState(this.limits.maxPodStateBytes, this.limits.maxTrackedObjects, this.collections);
    this.podRoles = new PodRoles(this.limits.maxTrackedPods, this.collections);
    this.scheduledRuns = new ScheduledRuns(this.limits.maxTrackedObjects);
  }

  /** A problem with the input as a whole (unreadable file, corrupt gzip): listed with the file. */
  inputError(error: InputError): void {
    this.errors.push(error);
  }

  feed(record: AuditRecord, file: string): void {
    this.stats.lines++;
    if (record.type === 'malformed') {
      this.malformed(file, record.line, record.reason);
      return;
    }
    if (record.type === 'skimmed') {
      // Counted as the parsed event would be: an event at a stage never judged, or a read dropped unjudged.
      this.stats.events++;
      if (record.verdict === 'other-stage') this.stats.otherStages++;
      return;
    }
    try {
      this.feedEvent(record, file);
    } catch (error) {
      // One request that breaks judging (a stack overflow on a crafted body) must not end the
      // reading of the log: the requests after it are the attacker's next steps. It is listed
      // with its line, not passed over: the exit code says something was not judged.
      this.errors.push({ file, line: record.line, message: `this request could not be judged (${errorMessage(error)}); the rest of the log was` });
    }
  }

  private feedEvent(record: Extract<AuditRecord, { type: 'value' }>, file: string): void {
    const parsed = auditEventOf(record.value);
    if (typeof parsed === 'string') {
      this.malformed(file, record.line, parsed);
      return;
    }
    const event = parsed;
    this.stats.events++;
    if (!isJudgedStage(event)) {
      this.stats.otherStages++;
      return;
    }
    if (!isWorthJudging(event)) return;
    if (this.seen.has(event.auditID)) {
      this.stats.duplicates++;
      return;
    }
    this.judgeEvent(event, record.text);
  }

  /** `text`: the JSON text the event was parsed from, if known (kept as a workload's last state). */
  private judgeEvent(event: AuditEvent, text: string | undefined): void {
    this.remember(event.auditID);
    const { context, aloneNote, appliedNote } = this.contextOf(event, text);
    const inWindow = this.inWindow(event);
    // Outside --since/--until a request is remembered (a later copy is still a duplicate) but not judged.
    if (!inWindow) this.stats.outsideWindow++;
    else this.stats.judged++;
    if (inWindow && succeeded(event) && isBlindWrite(event)) this.stats.writesWithoutBody++;
    const produced = inWindow ? this.judge(context, aloneNote, appliedNote) : [];
    // A create by generateName is listed under the name the API server gave it.
    if (inWindow) this.timeline.record(event, produced, event.verb === 'create' ? createdRef(event.objectRef, context.after) : event.objectRef);
  }

  result(): AuditHuntResult {
    const findings = [...this.kept.values()].map(({ finding, count, lastSeen, escalatedFrom }) =>
      count > 1 ? { ...finding, evidence: [...finding.evidence, `seen ${count} times; last at ${lastSeen ?? 'an unknown time'}`, ...(escalatedFrom ? [escalatedFrom] : [])] } : finding,
    );
    const warnings: string[] = [];
    if (this.droppedFindings > 0) warnings.push(`${this.droppedFindings} more distinct finding(s) not kept: over ${this.limits.maxFindings}; narrow the log with --since/--until`);
    if (this.stats.writesWithoutBody > 0) {
      warnings.push(
        `${this.stats.writesWithoutBody} write(s) (create, update, patch) to resources kfguard judges carried no body: the audit policy logged them at Metadata level, so what they wrote was not judged. Log pods, workloads, Services, Istio policies, RBAC bindings, ConfigMaps and Secrets at Request or RequestResponse level`,
      );
    }
    const { actors, droppedActors } = this.timeline.flagged();
    if (this.crowded.changes > 0) {
      const most = this.configReaders.maxReadersPerConfig;
      warnings.push(`${this.crowded.changes} change(s) to a ConfigMap or Secret read by more than ${most} workloads (first ${this.crowded.first ?? ''}) judged against its ${most} newest readers only: up to ${this.crowded.most} older reader(s) not judged again`);
    }
    if (this.configReaders.forgotten > 0) warnings.push(`${this.configReaders.forgotten} workload(s) reading ConfigMaps or Secrets not kept (over ${this.limits.maxConfigReaderBytes} bytes): a later change to what they read was not judged against them`);
    if (droppedActors > 0) warnings.push(`timeline: requests of ${droppedActors} actor(s) not kept (over the actor cap); their findings are still listed`);
    if (this.stats.malformed > this.limits.maxListedErrors) {
      this.errors.push({ file: '(audit logs)', message: `${this.stats.malformed - this.limits.maxListedErrors} more malformed line(s) not listed` });
    }
    return { findings, ruleErrors: this.ruleErrors, coverage: [...this.coverage.values()], errors: this.errors, warnings, stats: this.stats, timeline: actors };
  }

  private malformed(file: string, line: number, reason: string): void {
    this.stats.malformed++;
    if (this.stats.malformed <= this.limits.maxListedErrors) this.errors.push({ file, line, message: reason });
  }

  private remember(auditID: string): void {
    this.seen.add(auditID);
    if (this.seen.size > this.limits.maxRememberedIds) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  private inWindow(event: AuditEvent): boolean {
    const { since, until } = this.options;
    if (since === undefined && until === undefined) return true;
    // An event without a readable time is judged rather than dropped unseen.
    if (!Number.isFinite(event.time)) return true;
    return (since === undefined || event.time >= since) && (until === undefined || event.time < until);
  }

  /** The object before and after the request, and the kept state moved on to the after. */
  private contextOf(event: AuditEvent, text: string | undefined): { context: EventContext; aloneNote?: string; appliedNote?: string } {
    const ref = event.objectRef;
    const tracked = TRACKED_RESOURCES.has(ref.resource) && !ref.subresource;
    const workload = WORKLOAD_RESOURCES.has(ref.resource) && ref.subresource === undefined && (ref.resource !== 'pods' || this.limits.maxPodStateBytes > 0);
    const config = configRefOf(ref);
    const trackedState = this.trackedStateOf(ref, tracked);
    const before = trackedState ? trackedState.object : config ? this.configs.get(config) : undefined;
    // A workload's kept text is parsed only for a patch the log shows without the stored object.
    const kept = workload && event.verb === 'patch' && event.requestObject !== undefined && !responseObjectOf(event) ? this.workloadStateOf(ref).get(ref) : undefined;
    const { after, afterFromPatchAlone } = this.afterOf(event, before ?? kept?.object, before === undefined && kept?.object !== undefined);
    if (succeeded(event)) this.moveState(event, tracked, after, afterFromPatchAlone);
    if (succeeded(event)) {
      this.moveWorkload(event, workload, after, afterFromPatchAlone, text);
      this.moveReader(event, after, afterFromPatchAlone, text);
    }
    if (succeeded(event) && config) this.moveConfig(event, config, after, afterFromPatchAlone);
    // Workloads' kept state is used for the patch only: detections see `before` as they always did.
    const context: EventContext = { event, ...(before ? { before } : {}), ...deletedByOf(trackedState), ...(after ? { after } : {}), afterFromPatchAlone, settings: this.settings, podRoles: this.podRoles, scheduledRuns: this.scheduledRuns };
    const aloneNote = afterFromPatchAlone && kept ? aloneNoteOf(kept, this.workloadStateOf(ref).maxBytes) : undefined;
    const appliedNote = appliedNoteOf(context, kept);
    return { context, ...(aloneNote ? { aloneNote } : {}), ...(appliedNote ? { appliedNote } : {}) };
  }

  private trackedStateOf(ref: AuditObjectRef, tracked: boolean): ReturnType<ObjectState['get']> {
    return tracked ? this.state.get(ref) : undefined;
  }

  /**
   * A workload's last state moved on: the text of a create or update (the line, whose
   * requestObject is the object sent), a patch's result as JSON, nothing after a delete or a change
   * the log does not show.
   */
  private moveWorkload(event: AuditEvent, workload: boolean, after: K8sObject | undefined, afterFromPatchAlone: boolean, text: string | undefined): void {
    // `kubectl debug` changes the pod through a subresource: its kept state is stale.
    if (!workload && event.objectRef.resource === 'pods' && event.objectRef.subresource === EPHEMERAL && MUTATING_VERBS.has(event.verb)) this.podStates.drop(event.objectRef);
    if (!workload || event.verb === 'deletecollection') return; // a deletecollection marks through the shared collection stamps (moveState)
    const ref = event.verb === 'create' ? namedRef(event.objectRef, after) : event.objectRef;
    const state = this.workloadStateOf(ref);
    if (event.verb === 'delete') state.delete(ref);
    else if (WRITES.has(event.verb) && after && !afterFromPatchAlone) {
      const field = event.verb === 'patch' ? undefined : after === event.requestObject ? 'requestObject' : after === event.responseObject ? 'responseObject' : undefined;
      if (text !== undefined && field !== undefined) state.set(ref, text, field);
      else {
        // A patch result nested too deep for JSON.stringify is not kept; a later patch is judged alone.
        const json = jsonTextOf(after);
        if (json === undefined) state.drop(ref);
        else state.set(ref, json);
      }
    } else if (MUTATING_VERBS.has(event.verb)) state.drop(ref);
  }

  private workloadStateOf(ref: AuditObjectRef): WorkloadState {
    return ref.resource === 'pods' && ref.apiGroup === '' ? this.podStates : this.workloads;
  }

  private afterOf(event: AuditEvent, before: K8sObject | undefined, fromWorkloadState: boolean): { after?: K8sObject; afterFromPatchAlone: boolean } {
    const ref = event.objectRef;
    // `kubectl debug` adds containers to a running pod through this subresource: what they run is judged.
    if (ref.subresource && !(ref.resource === 'pods' && ref.subresource === EPHEMERAL)) return { afterFromPatchAlone: false };
    if (event.verb === 'create' || event.verb === 'update') {
      const sent = requestObjectOf(event);
      const after = sent ? namedAsStored(sent, event) : responseObjectOf(event);
      return after ? { after, afterFromPatchAlone: false } : { afterFromPatchAlone: false };
    }
    if (event.verb !== 'patch') return { afterFromPatchAlone: false };
    const stored = responseObjectOf(event);
    if (stored) return { after: stored, afterFromPatchAlone: false };
    if (event.requestObject === undefined) return { afterFromPatchAlone: false };
    const identity = kindOfResource(ref.resource);
    const base = before ?? (identity ? { ...identity, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } } : undefined);
    if (!base) return { afterFromPatchAlone: false };
    const patched = applyPatch(base, event.requestObject, { lenient: before === undefined });
    // A workload's kept state the patch does not apply to: the body is still judged, alone (and said so).
    if (before !== undefined && fromWorkloadState && !('result' in patched && isK8sObject(patched.result))) return this.afterOf(event, undefined, false);
    if (!('result' in patched) || !isK8sObject(patched.result)) return { afterFromPatchAlone: false };
    if (before === undefined) this.stats.patchesJudgedAlone++;
    return { after: patched.result, afterFromPatchAlone: before === undefined };
  }

  private moveState(event: AuditEvent, tracked: boolean, after: K8sObject | undefined, afterFromPatchAlone: boolean): void {
    if (event.verb === 'deletecollection') {
      // Names none: every kept object of the collection is marked possibly deleted (ObjectState, ConfigState, PodRoles).
      if (!event.objectRef.subresource) this.collections.delete(event.objectRef.apiGroup, event.objectRef.resource, event.objectRef.namespace, deletionName(event.auditID, event.timestamp));
      return;
    }
    const ref = event.verb === 'create' ? namedRef(event.objectRef, after) : event.objectRef;
    if (tracked) {
      if (event.verb === 'delete') this.state.delete(ref);
      else if (after && !afterFromPatchAlone) this.state.set(ref, after);
      // A change the log does not show leaves the kept state stale: better none.
      else if (MUTATING_VERBS.has(event.verb)) this.state.delete(ref);
    }
    if (event.verb === 'create' && after && !afterFromPatchAlone && !ref.subresource && after.kind !== 'Pod') this.scheduledRuns.record(event, after);
    if (ref.resource !== 'pods' || ref.subresource) return;
    if (event.verb === 'create' && after) this.podRoles.record(ref.namespace, ref.name ?? (typeof after.metadata?.name === 'string' ? after.metadata.name : undefined), after);
    else if (event.verb === 'delete') this.podRoles.forget(ref.namespace, ref.name);
  }

  /** ConfigMaps and Secrets: kept for the workloads that read them; a change the log does not show drops them. */
  private moveConfig(event: AuditEvent, config: ConfigRef, after: K8sObject | undefined, afterFromPatchAlone: boolean): void {
    const named = event.verb === 'create' && !config.name ? { ...config, name: typeof after?.metadata?.name === 'string' ? after.metadata.name : '' } : config;
    if (!named.name) return;
    if (after && !afterFromPatchAlone && event.verb !== 'delete') this.configs.set(named, after);
    else if (MUTATING_VERBS.has(event.verb)) this.configs.delete(named);
  }

  /** A workload that reads ConfigMaps or Secrets is remembered as their reader (config-readers.ts); a delete forgets it. */
  private moveReader(event: AuditEvent, after: K8sObject | undefined, afterFromPatchAlone: boolean, text: string | undefined): void {
    // Pods too, whatever maxPodStateBytes says: a pod runs the ConfigMap's script on every start.
    if (!WORKLOAD_RESOURCES.has(event.objectRef.resource) || event.objectRef.subresource !== undefined || this.objectRules.length === 0) return;
    const ref = event.verb === 'create' ? namedRef(event.objectRef, after) : event.objectRef;
    const key = `${ref.resource}/${ref.namespace ?? ''}/${ref.name ?? ''}`;
    if (!ref.name || event.verb === 'delete' || !after || afterFromPatchAlone) {
      this.configReaders.drop(key);
      return;
    }
    // Most workloads name no ConfigMap or Secret: the line's text says so without a walk, when the
    // object is on the line. A patch applied to the kept state is not: its line names only what
    // changed, and a reader forgotten on an unrelated patch escaped the judging of a later swap.
    const onLine = after === event.requestObject || after === responseObjectOf(event);
    if (text !== undefined && onLine && !text.includes('"configMap') && !text.includes('"secret')) {
      this.configReaders.drop(key);
      return;
    }
    const refs = configRefsOf(after, ref.namespace ?? '').filter((r) => !(r.kind === 'ConfigMap' && CLUSTER_CA_CONFIG_MAPS.has(r.name)));
    this.configReaders.record(key, after, refs);
  }

  /**
   * A ConfigMap or Secret changed: the workloads the log showed reading it are judged again with
   * what it now holds (a script swapped for a miner after the pod that runs it was judged). Their
   * findings name this request, whose author made the change.
   */
  private judgeReaders(context: EventContext, changed: K8sObject, origin: ReturnType<typeof auditOriginOf>, produced: string[]): void {
    const { event } = context;
    if (context.afterFromPatchAlone) return;
    const namespace = event.objectRef.namespace ?? '';
    const name = event.objectRef.name ?? (typeof changed.metadata?.name === 'string' ? changed.metadata.name : '');
    if (!name || (changed.kind !== 'ConfigMap' && changed.kind !== 'Secret')) return;
    const note = `judged again: ${changed.kind} ${namespace}/${name}, which it reads, was changed by this request`;
    const { readers, crowdedOut } = this.configReaders.of({ kind: changed.kind, namespace, name });
    if (crowdedOut > 0) {
      this.crowded.changes++;
      this.crowded.first ??= `${changed.kind} ${namespace}/${name}`;
      this.crowded.most = Math.max(this.crowded.most, crowdedOut);
    }
    for (const reader of readers) {
      const notes: string[] = [note];
      const inventory = this.configInventory(reader, origin, namespace, notes);
      if (!inventory) continue;
      const result = runRules([{ object: reader, origin }], { rules: this.objectRules, config: this.config, podLabelsOf, inventory });
      for (const error of result.ruleErrors) this.ruleErrors.push(error);
      for (const finding of result.findings) {
        if (finding.resource.kind === 'ConfigMap' || finding.resource.kind === 'Secret') continue;
        this.keep({ ...finding, evidence: [...finding.evidence, ...notes] }, event);
        produced.push(finding.ruleId);
      }
    }
  }

  /**
   * The ConfigMaps and Secrets the object names, from the kept state, as a snapshot the rules read
   * beside it; those it names that were forgotten (over the budget) become coverage entries.
   */
  private configInventory(after: K8sObject, origin: ReturnType<typeof auditOriginOf>, namespace: string | undefined, notes: string[]): Snapshot | undefined {
    // With no ConfigMap or Secret kept or forgotten, any lookup is empty: the walk for names is skipped.
    if (after.kind === 'ConfigMap' || after.kind === 'Secret' || this.configs.isEmpty) return undefined;
    const refs = configRefsOf(after, namespace ?? '');
    if (refs.length === 0) return undefined;
    const { found, forgotten, possiblyDeleted } = this.configs.lookup(refs);
    for (const { ref, by } of possiblyDeleted) notes.push(possiblyDeletedNote(`${ref.kind} ${ref.namespace}/${ref.name}, which this object reads,`, by));
    for (const ref of forgotten) {
      const reason = `${ref.kind} ${ref.namespace}/${ref.name}, which this object reads, was forgotten (kept ConfigMap and Secret data is capped at ${this.limits.maxConfigBytes} bytes): what it holds was not judged with the object`;
      const resource = resourceRefOf(after, namespace);
      this.coverage.set(`config\u0000${JSON.stringify(resource)}\u0000${ref.kind}/${ref.name}`, { ruleId: 'crypto-miner-workload', source: 'audit', resource, reason });
    }
    if (found.length === 0) return undefined;
    return Snapshot.of([{ object: after, origin }, ...found.map((object) => ({ object, origin }))], podLabelsOf);
  }

  /**
   * Runs the object rules and the detections on one request; returns the ids of what it found. On
   * a request that did not succeed only the object rules run, and their findings are attempts
   * (attempt.ts); the detections judge what a request did, and a refused one did nothing.
   */
  private judge(context: EventContext, aloneNote: string | undefined, appliedNote: string | undefined): string[] {
    const { event, after } = context;
    const produced: string[] = [];
    const outcome = outcomeOf(event);
    const origin = auditOriginOf(event);
    if (after && this.objectRules.length > 0 && WRITES.has(event.verb)) {
      // Why the judgment read state a deletecollection may have ended, said on every finding of it.
      const readNotes: string[] = appliedNote ? [appliedNote] : [];
      const inventory = this.configInventory(after, origin, event.objectRef.namespace, readNotes);
      const judged = [{ object: after, origin }];
      // Built only if a rule asks: the miner rule reads it only for ConfigMaps and Secrets a workload names.
      const result = runRules(judged, { rules: this.objectRules, config: this.config, podLabelsOf, inventory: inventory ?? new LazyInventory(judged, podLabelsOf) });
      for (const error of result.ruleErrors) this.ruleErrors.push(error);
      for (const entry of result.coverage) this.coverage.set(`${entry.ruleId}\u0000${entry.source}\u0000${entry.resource ? JSON.stringify(entry.resource) : ''}`, entry);
      for (const finding of result.findings) {
        // The ConfigMaps and Secrets read beside the object are judged when they are written, not again here.
        if (inventory && (finding.resource.kind === 'ConfigMap' || finding.resource.kind === 'Secret')) continue;
        const notes = [
          ...readNotes,
          ...(context.afterFromPatchAlone ? [aloneNote ?? 'judged from the patch body alone: the log holds no earlier state of this object'] : []),
          ...[event.verb === 'create' ? unnamedNote(after) : undefined].filter((note) => note !== undefined),
          ...[selfExemptionNote({ object: after, origin }, finding.ruleId)].filter((note) => note !== undefined),
        ];
        const noted = notes.length > 0 ? { ...finding, evidence: [...finding.evidence, ...notes] } : finding;
        this.keep(outcome === undefined ? noted : attemptFinding(noted, outcome, refused(event)), event);
        produced.push(finding.ruleId);
      }
      // A refused change stored nothing; one judged from its patch alone may not hold the whole data.
      if (outcome === undefined) this.judgeReaders(context, after, origin, produced);
    }
    if (outcome !== undefined) return produced;
    for (const { detection, judge } of this.judges) {
      for (const hit of judge(context)) {
        const { meta } = detection;
        this.keep(
          {
            ruleId: meta.id,
            severity: hit.severity ?? meta.severity,
            category: meta.category,
            title: meta.title,
            message: hit.message,
            resource: hit.resource,
            ...(hit.path !== undefined ? { path: hit.path } : {}),
            evidence: hit.evidence ?? [],
            mitre: meta.mitre,
            remediation: meta.remediation,
            source: 'audit',
            origin,
            fingerprint: fingerprintOf(meta.id, hit.resource, hit.path, hit.discriminator),
          },
          event,
        );
        produced.push(meta.id);
      }
    }
    return produced;
  }

  private keep(finding: Finding, event: AuditEvent): void {
    const existing = this.kept.get(finding.fingerprint);
    if (existing) {
      existing.count++;
      existing.lastSeen = `${event.timestamp} by ${event.user} (auditID ${event.auditID})`;
      // A later hit can be worse than the first (a pod re-judged after the ConfigMap it reads was
      // swapped for a miner): the report shows the worst, and says what it was before.
      if (severityRank(finding.severity) > severityRank(existing.finding.severity)) {
        const before = existing.finding;
        const at = before.origin?.kind === 'audit' ? ` at ${before.origin.timestamp} (auditID ${before.origin.auditID})` : '';
        existing.escalatedFrom ??= `first judged ${before.severity}${at}`;
        existing.finding = detached(finding);
      }
      return;
    }
    if (this.kept.size >= this.limits.maxFindings) {
      this.droppedFindings++;
      return;
    }
    // Detached: the finding's strings must not keep the log text they were read from alive.
    this.kept.set(finding.fingerprint, { finding: detached(finding), count: 1 });
  }
}

/**
 * A create's objectRef often has no name (the API server logs the request before it reads the
 * body; falco's create_nginx_pod_privileged sample is one): the created object names it, so that a
 * later patch of it is applied to this state rather than judged from its body alone.
 */
/** A create, update or patch of something hunting judges, logged without the object it wrote. */
function isBlindWrite(event: AuditEvent): boolean {
  const ref = event.objectRef;
  if (!WRITES.has(event.verb) || event.requestObject !== undefined || event.responseObject !== undefined) return false;
  if (ref.subresource && !(ref.resource === 'pods' && ref.subresource === EPHEMERAL)) return false;
  return kindOfResource(ref.resource) !== undefined || configRefOf(ref) !== undefined;
}

/** The context's note that a deletecollection may have ended the kept state it gives as `before`. */
function deletedByOf(kept: { readonly deletedBy?: string } | undefined): { beforeDeletedBy?: string } {
  return kept?.deletedBy ? { beforeDeletedBy: kept.deletedBy } : {};
}

/** A patch applied to kept state a deletecollection may have ended (a tracked object's, or `workload`'s): its findings say so. */
function appliedNoteOf(context: EventContext, workload: ReturnType<WorkloadState['get']> | undefined): string | undefined {
  const { event, after, afterFromPatchAlone } = context;
  if (event.verb !== 'patch' || !after || afterFromPatchAlone || responseObjectOf(event)) return undefined;
  const by = context.beforeDeletedBy ?? (workload?.object ? workload.deletedBy : undefined);
  return by ? possiblyDeletedNote('the object this patch was applied to', by) : undefined;
}

/** Why a workload's patch was judged alone, when the log held (or may have held) a state of it. */
function aloneNoteOf(kept: ReturnType<WorkloadState['get']>, maxBytes: number): string | undefined {
  if (kept.object) return 'judged from the patch body alone: it does not apply to the last state the log holds of this object';
  const cap = `kept workload state is capped at ${maxBytes} bytes`;
  if (kept.missing === 'evicted') return `last state not kept: judged the patch alone (the log held an earlier state of this object, evicted as ${cap})`;
  if (kept.missing === 'maybe-evicted') return `last state may not be kept: judged the patch alone (workload states were evicted as ${cap}; this object's may be one of them)`;
  return undefined;
}

function configRefOf(ref: AuditObjectRef): ConfigRef | undefined {
  if (ref.apiGroup !== '' || ref.subresource) return undefined;
  const kind: ConfigKind | undefined = ref.resource === 'configmaps' ? 'ConfigMap' : ref.resource === 'secrets' ? 'Secret' : undefined;
  return kind ? { kind, namespace: ref.namespace ?? '', name: ref.name ?? '' } : undefined;
}

function resourceRefOf(object: K8sObject, namespace: string | undefined): ResourceRef {
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
  return { apiVersion: object.apiVersion, kind: object.kind, ...(namespace ? { namespace } : {}), name };
}

function namedRef(ref: AuditObjectRef, object: K8sObject | undefined): AuditObjectRef {
  const name = object?.metadata?.name;
  return !ref.name && typeof name === 'string' && name !== '' ? { ...ref, name } : ref;
}

function jsonTextOf(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Every namespace gets these from a controller; they hold the cluster's CA, never anything run. */
const CLUSTER_CA_CONFIG_MAPS: ReadonlySet<string> = new Set(['kube-root-ca.crt', 'openshift-service-ca.crt']);
