import type { KfguardConfig } from '../core/config-types.js';
import { dependentsOfChange, evaluateObject, evaluateRemoval, ruleMatches, runRules } from '../core/engine.js';
import type { Inventory } from '../core/inventory.js';
import type { Rule } from '../core/rule.js';
import type { Snapshot } from '../core/snapshot.js';
import { refOf } from '../core/object.js';
import type { Finding, K8sObject, RuleError, ScannedObject } from '../core/types.js';
import { AUTH_CHAIN_KINDS } from '../exposure/auth-chain-kinds.js';
import { podLabelsOf } from '../k8s/inventory.js';
import type { LiveChange } from '../sources/cluster/live-snapshot.js';
import { applySuppressions } from '../suppress/apply.js';
import { FindingTracker, resourceKeyOf, type FindingChange } from './finding-tracker.js';
import { foldOwnedFindings } from './owner-fold.js';
import { readersCanSeeUpdate } from '../exposure/reader-visible-change.js';

/** Kinds whose rule lists `judgeStored` keeps at most. */
const MAX_STORED_RULE_KINDS = 1_024;

/**
 * Other objects judged again for one change (or one slice of queued updates) at most. A change read
 * by most of the cluster (a namespace-wide read) would otherwise judge it all on the event path;
 * past the cap the rest wait for the next full evaluation, and the watch says so.
 */
const MAX_DEPENDENTS = 2_000;

/** Rule subsets kept for judging dependents (the engine indexes per rule array). */
const MAX_RULE_SUBSETS = 1_024;

/** Objects judged between clock checks in a sliced full evaluation. */
const RECONCILE_BATCH = 64;

/**
 * The copies of `changed` (each update's replaced copy, then the copy stored) whose readers must
 * be judged again: every update of an object carrying no Pods, and those of Pods and controllers
 * that changed what a reader can see. An update without its replaced copy counts as seen.
 */
function visibleUpdates(changed: readonly ScannedObject[], snapshot: Snapshot): ScannedObject[] {
  const byIdentity = new Map<string, ScannedObject[]>();
  for (const scanned of changed) {
    const key = resourceKeyOf(refOf(scanned.object));
    const copies = byIdentity.get(key);
    if (copies) copies.push(scanned);
    else byIdentity.set(key, [scanned]);
  }
  const visible: ScannedObject[] = [];
  for (const copies of byIdentity.values()) {
    const before = copies[0]!;
    const after = copies[copies.length - 1]!;
    const carriesPods = copies.some(({ object }) => podLabelsOf(object).length > 0);
    if (!carriesPods || copies.length < 2 || readersCanSeeUpdate(before.object, after.object, snapshot)) visible.push(...copies);
  }
  return visible;
}

/** A rule judging objects one by one only: its whole-inventory part runs once, apart. */
function withoutInventoryCheck(rule: Rule): Rule {
  if (!rule.checkInventory) return rule;
  const { checkInventory: _inventory, ...rest } = rule;
  return rest;
}

/** A rule's whole-inventory part only. */
function withoutObjectCheck(rule: Rule): Rule {
  if (!rule.check) return rule;
  const { check: _check, ...rest } = rule;
  return rest;
}

export interface LiveEvaluatorOptions {
  readonly rules: readonly Rule[];
  readonly config: KfguardConfig;
  /** Kinds the watch cannot read now (refused lists): rules judge knowing it (`unreadKindsOf`). */
  readonly unreadKinds?: () => ReadonlySet<string>;
  readonly knownRuleIds?: readonly string[];
  readonly today?: () => string;
}

export interface EvaluationOutcome {
  readonly changes: FindingChange[];
  readonly ruleErrors: readonly RuleError[];
  /** Objects whose findings read the change but were left to the next full evaluation (over `MAX_DEPENDENTS`). */
  readonly deferred?: number;
}

/**
 * Turns snapshot changes into finding changes. A changed object is judged laid over the snapshot
 * (`evaluateObject`): its own findings replace what it had, and findings it introduces on other
 * objects (a Service switched to LoadBalancer exposing a dashboard behind a gateway) are added at
 * once, and so are those a delete introduces (an auth policy deleted). The other objects whose recorded reads
 * a change touches are judged again with the rules that read it, so a finding elsewhere that
 * changes or goes away shows at once too (`dependents`). The full evaluation (`reconcile`), which
 * the watch runs after changes at a bounded pace, catches whatever is left.
 */
export class LiveEvaluator {
  readonly tracker = new FindingTracker();
  /** The rules split into their per-object and whole-inventory parts, for judging a part at a time. */
  private readonly perObject: readonly Rule[];
  private readonly perInventory: readonly Rule[];
  /** `storedRulesFor`, by API version and kind. */
  private readonly storedRules = new Map<string, readonly Rule[]>();
  /** `rulesById`, by the ids joined. */
  private readonly ruleSubsets = new Map<string, readonly Rule[]>();

  constructor(private readonly options: LiveEvaluatorOptions) {
    this.perObject = options.rules.filter((rule) => rule.check).map(withoutInventoryCheck);
    this.perInventory = options.rules.filter((rule) => rule.checkInventory).map(withoutObjectCheck);
  }

  /** Judges everything in the snapshot; the difference from what was open is the news. */
  reconcile(snapshot: Snapshot): EvaluationOutcome {
    const objects = snapshot.all;
    const result = runRules(objects, { rules: this.options.rules, config: this.options.config, ...this.unread(), inventory: snapshot, podLabelsOf });
    const all = this.suppress(result.findings, objects);
    const byResource = new Map<string, Finding[]>();
    for (const finding of all) {
      const key = resourceKeyOf(finding.resource);
      const list = byResource.get(key);
      if (list) list.push(finding);
      else byResource.set(key, [finding]);
    }
    const { kept, folded } = foldOwnedFindings(all, snapshot, (key) => byResource.get(key) ?? []);
    return { changes: this.tracker.replaceAll(kept, folded), ruleErrors: result.ruleErrors };
  }

  /**
   * The same full evaluation as `reconcile`, judged a slice at a time (about `sliceMs` each) with
   * the event loop free in between, so watch streams are read and new objects judged while it
   * runs: on a large cluster a full evaluation takes seconds, and a miner created meanwhile would
   * otherwise wait for it. Objects change under it; `touched` holds the resource keys
   * (`resourceKeyOf`) changed since it started, whose findings were judged change by change and
   * are newer than any slice, so for those the tracker's findings stand. Whole-inventory rules run
   * once, in the last slice, on the snapshot as it is then.
   */
  async reconcileInSlices(snapshot: Snapshot, touched: ReadonlySet<string>, options: { sliceMs: number; stopped?: () => boolean; batchSize?: number }): Promise<EvaluationOutcome | undefined> {
    const objects = [...snapshot.all];
    const batchSize = options.batchSize ?? RECONCILE_BATCH;
    const findings: Finding[] = [];
    const ruleErrors: RuleError[] = [];
    const keyOfObject = (scanned: ScannedObject): string => resourceKeyOf(refOf(scanned.object));
    for (let next = 0; next < objects.length; ) {
      const until = performance.now() + options.sliceMs;
      // At least one batch a slice, however short the slice.
      do {
        const batch = objects.slice(next, next + batchSize).filter((scanned) => !touched.has(keyOfObject(scanned)));
        next += batchSize;
        if (batch.length === 0) continue;
        const result = runRules(batch, { rules: this.perObject, config: this.options.config, ...this.unread(), inventory: snapshot, podLabelsOf });
        // Held ones in their place at once, so what this slice built dies young (`restated`).
        for (const finding of this.suppress(result.findings, batch)) findings.push(this.tracker.restated(finding));
        ruleErrors.push(...result.ruleErrors);
      } while (next < objects.length && performance.now() < until);
      await new Promise((resolve) => setImmediate(resolve));
      if (options.stopped?.()) return undefined;
    }
    // Any object of the snapshot lets the inventory rules know which source they judge; their
    // per-object checks were taken out, so it is not judged again.
    const present = snapshot.all.slice(0, 1);
    if (present.length > 0) {
      const result = runRules(present, { rules: this.perInventory, config: this.options.config, ...this.unread(), inventory: snapshot, podLabelsOf });
      findings.push(...this.suppress(result.findings, []).filter((f) => !touched.has(resourceKeyOf(f.resource))));
      ruleErrors.push(...result.ruleErrors);
    }
    const all = [...findings.filter((f) => !touched.has(resourceKeyOf(f.resource))), ...this.tracker.findings.filter((f) => touched.has(resourceKeyOf(f.resource)))];
    const byResource = new Map<string, Finding[]>();
    for (const finding of all) {
      const key = resourceKeyOf(finding.resource);
      const list = byResource.get(key);
      if (list) list.push(finding);
      else byResource.set(key, [finding]);
    }
    const { kept, folded } = foldOwnedFindings(all, snapshot, (key) => byResource.get(key) ?? []);
    return { changes: this.tracker.replaceAll(kept, folded), ruleErrors };
  }

  /** Called before `change` is applied to `snapshot`. */
  judgeChange(change: LiveChange, snapshot: Snapshot): EvaluationOutcome {
    if (change.type === 'delete') {
      const ref = { apiVersion: change.object.apiVersion, kind: change.object.kind, name: change.object.metadata?.name ?? '', ...(change.object.metadata?.namespace ? { namespace: change.object.metadata.namespace } : {}) };
      const changes = this.tracker.removeResource(ref);
      // A deleted Pod or controller (a busy cluster's churn, like their updates) leaves its
      // readers to `judgeUpdatedDependents`, given the deleted copy once the snapshot dropped it:
      // the watch batches those per slice, since bringing the engine's baselines up to date for
      // each delete cost about 10 ms of CPU at the bench's scale (docs/benchmarks.md). Any other
      // delete is judged now as the snapshot without it (the auth chain deleted opens the gateway).
      if (!AUTH_CHAIN_KINDS.includes(change.object.kind) && podLabelsOf(change.object).length > 0) return { changes, ruleErrors: [] };
      return this.judgeRemoval(change.object, snapshot, changes);
    }
    const { scanned } = change;
    const evaluation = evaluateObject(snapshot, scanned, { rules: this.options.rules, config: this.options.config, ...this.unread(), podLabelsOf });
    // Owners are judged against the snapshot with this object laid over it.
    const overlay = snapshot.overlay(scanned);
    const findingsOn = (key: string): readonly Finding[] => this.tracker.on(key);
    const own = foldOwnedFindings(this.suppress(evaluation.findings, [scanned]), overlay, findingsOn);
    const ref = { apiVersion: scanned.object.apiVersion, kind: scanned.object.kind, name: scanned.object.metadata?.name ?? '', ...(scanned.object.metadata?.namespace ? { namespace: scanned.object.metadata.namespace } : {}) };
    const changes = this.tracker.replaceResource(ref, own.kept, own.folded);
    const ruleErrors = [...evaluation.ruleErrors];
    const deferred = this.judgeDependents(evaluation.dependents, overlay, changes, ruleErrors);
    if (evaluation.introduced.length > 0) {
      const judged = evaluation.introduced.map((f) => snapshot.get(f.resource.kind, f.resource.namespace, f.resource.name)).filter((s): s is ScannedObject => s !== undefined);
      changes.push(...this.tracker.add(foldOwnedFindings(this.suppress(evaluation.introduced, judged), overlay, findingsOn).kept));
    }
    return { changes, ruleErrors, deferred };
  }

  /**
   * A delete judged as the snapshot without the object: the other objects that read it are judged
   * again (the Service whose exposure path went through a deleted Pod resolves or changes), and the
   * findings its removal introduces elsewhere open at once (deleting an auth policy in front of a
   * gateway exposes what it guarded, as the webhook denies the same DELETE), rather than at the
   * next full evaluation.
   */
  private judgeRemoval(object: K8sObject, snapshot: Snapshot, changes: FindingChange[]): EvaluationOutcome {
    const stored = snapshot.copiesOf(object)[0];
    if (!stored) return { changes, ruleErrors: [] };
    const evaluation = evaluateRemoval(snapshot, stored, { rules: this.options.rules, config: this.options.config, ...this.unread(), podLabelsOf });
    const without = snapshot.without(object);
    const ruleErrors = [...evaluation.ruleErrors];
    const deferred = this.judgeDependents(evaluation.dependents, without, changes, ruleErrors);
    if (evaluation.introduced.length > 0) {
      const judged = evaluation.introduced.map((f) => snapshot.get(f.resource.kind, f.resource.namespace, f.resource.name)).filter((s): s is ScannedObject => s !== undefined);
      changes.push(...this.tracker.add(foldOwnedFindings(this.suppress(evaluation.introduced, judged), without, (key) => this.tracker.on(key)).kept));
    }
    return { changes, ruleErrors, deferred };
  }

  /**
   * Judges an object already in the snapshot again (a coalesced update): its own findings only;
   * `judgeUpdatedDependents` then judges the objects that read it.
   */
  judgeStored(identityOf: ScannedObject, snapshot: Snapshot): EvaluationOutcome {
    const scanned = snapshot.copiesOf(identityOf.object)[0];
    if (!scanned) return { changes: [], ruleErrors: [] };
    // What a full evaluation gives this object: the per-object rules, and the whole-inventory rules
    // that judge its kind, kept to their findings on it. Not `evaluateObject`: its findings
    // introduced elsewhere are not used here, and keeping the engine's baselines for them up to
    // date was most of the cost of each update.
    const ref = refOf(scanned.object);
    const identity = resourceKeyOf(ref);
    const rules = this.storedRulesFor(scanned.object);
    const result = runRules([scanned], { rules, config: this.options.config, ...this.unread(), inventory: snapshot, podLabelsOf });
    const findings = result.findings.filter((f) => resourceKeyOf(f.resource) === identity);
    const own = foldOwnedFindings(this.suppress(findings, [scanned]), snapshot, (key) => this.tracker.on(key));
    return { changes: this.tracker.replaceResource(ref, own.kept, own.folded), ruleErrors: result.ruleErrors };
  }

  /**
   * After queued updates were judged (`judgeStored`) and the snapshot holds them: the other objects
   * whose recorded reads they touch, judged again with the rules that read them, so a Service
   * switched to LoadBalancer re-judges the Deployment it exposes now, not at the next full
   * evaluation. `changed` holds each update's replaced copy and the copy now stored, and the copy
   * of each Pod or controller deleted (`judgeChange` leaves their readers here): a Service whose
   * only backing Pod was deleted is judged again.
   */
  judgeUpdatedDependents(changed: readonly ScannedObject[], snapshot: Snapshot): EvaluationOutcome {
    const changes: FindingChange[] = [];
    const ruleErrors: RuleError[] = [];
    // Updates to objects that carry Pods (Pods, controllers) are a busy cluster's churn, thousands
    // a second; bringing the engine's records up to date for each slice of them cost half again
    // the CPU per change (docs/benchmarks.md). Their readers (a Service selecting their labels)
    // are judged again only when the update changed something a reader can see (a Pod relabelled
    // into a Service's selector): `readersCanSeeUpdate`, old copy against new.
    const routing = visibleUpdates(changed, snapshot);
    if (routing.length === 0) return { changes, ruleErrors };
    const dependents = dependentsOfChange(snapshot, routing, { rules: this.options.rules, config: this.options.config, ...this.unread(), podLabelsOf });
    const deferred = this.judgeDependents(dependents, snapshot, changes, ruleErrors);
    return { changes, ruleErrors, deferred };
  }

  /**
   * Judges each dependent with the rules that read the change, on `inventory` (the snapshot as the
   * change leaves it), replacing those rules' findings on it. Returns how many were left to the
   * next full evaluation.
   */
  private judgeDependents(dependents: ReadonlyMap<ScannedObject, ReadonlySet<string>>, inventory: Inventory, changes: FindingChange[], ruleErrors: RuleError[]): number {
    let judged = 0;
    for (const [scanned, ruleIds] of dependents) {
      if (judged++ >= MAX_DEPENDENTS) break;
      const ref = refOf(scanned.object);
      const identity = resourceKeyOf(ref);
      const result = runRules([scanned], { rules: this.rulesById(ruleIds), config: this.options.config, ...this.unread(), inventory, podLabelsOf });
      const findings = result.findings.filter((f) => resourceKeyOf(f.resource) === identity);
      const own = foldOwnedFindings(this.suppress(findings, [scanned]), inventory, (key) => this.tracker.on(key));
      changes.push(...this.tracker.replaceResourceRules(ref, ruleIds, own.kept, own.folded));
      ruleErrors.push(...result.ruleErrors);
    }
    return Math.max(0, dependents.size - MAX_DEPENDENTS);
  }

  /** The per-object rules with these ids, the same array for the same ids (see `storedRulesFor`). */
  private rulesById(ruleIds: ReadonlySet<string>): readonly Rule[] {
    const key = [...ruleIds].sort().join('\u0000');
    let rules = this.ruleSubsets.get(key);
    if (!rules) {
      rules = this.perObject.filter((rule) => ruleIds.has(rule.meta.id));
      if (this.ruleSubsets.size >= MAX_RULE_SUBSETS) this.ruleSubsets.clear();
      this.ruleSubsets.set(key, rules);
    }
    return rules;
  }

  /**
   * The rules `judgeStored` runs on an object of this kind: the same array for every object of
   * it, because the engine keeps its per-kind rule index per rule array; a new array per update
   * rebuilt that index, matching every rule again, on every update.
   */
  private storedRulesFor(object: K8sObject): readonly Rule[] {
    const key = `${object.apiVersion}\u0000${object.kind}`;
    let rules = this.storedRules.get(key);
    if (!rules) {
      rules = [...this.perObject, ...this.perInventory.filter((rule) => ruleMatches(rule, object))];
      // Kinds come from the cluster's API: bounded all the same, like the engine's own index.
      if (this.storedRules.size >= MAX_STORED_RULE_KINDS) this.storedRules.clear();
      this.storedRules.set(key, rules);
    }
    return rules;
  }

  /**
   * Brings the engine's per-rule baselines (what `judgeChange` compares a new object's findings on
   * other objects against) up to date with the snapshot, for rules reading `scanned`'s kind,
   * discarding the judgement. Done when the watch is idle, so that the next new object does not
   * pay for every change since: the first after sync would otherwise judge the whole cluster.
   */
  warm(snapshot: Snapshot, scanned: ScannedObject): void {
    evaluateObject(snapshot, scanned, { rules: this.options.rules, config: this.options.config, ...this.unread(), podLabelsOf });
  }

  /** The unread kinds for the engine's options, absent when there are none. */
  private unread(): { unreadKinds?: ReadonlySet<string> } {
    const kinds = this.options.unreadKinds?.();
    return kinds && kinds.size > 0 ? { unreadKinds: kinds } : {};
  }

  private suppress(findings: readonly Finding[], objects: readonly ScannedObject[]): Finding[] {
    // Most changes in a busy cluster leave an object clean; indexing its annotations (a walk of
    // its pod specs) would then be most of the cost of judging it, for nothing.
    if (findings.length === 0) return [];
    const today = this.options.today?.() ?? new Date().toISOString().slice(0, 10);
    return applySuppressions(findings, objects, this.options.config, today, this.options.knownRuleIds).findings;
  }
}
