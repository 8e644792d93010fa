import { CopyRecords, type CopyRecord } from './copy-records.js';
import { createBudget, DEFAULT_LIMITS, WatchedBudget, type Budget, type EvaluationLimits } from './budget.js';
import type { KfguardConfig } from './config-types.js';
import { DEFAULT_CONFIG } from './config-types.js';
import { coverageReason } from './coverage.js';
import { errorMessage } from './errors.js';
import { fingerprintOf } from './fingerprint.js';
import type { DerivedAnalysis, Inventory } from './inventory.js';
import { apiGroupOf, describeObject, refOf } from './object.js';
import { NOTHING_FOUND, type PrejudgedObject, type Prejudged, type RuleOutcome } from './prejudged.js';
import type { KindMatch, Rule, RuleContext, Violation } from './rule.js';
import { CHANGE_LOG_LENGTH, Snapshot, type PodLabelsOf } from './snapshot.js';
import { sameDependencies, sameFingerprints } from './same-judgement.js';
import { DependencyRecorder, type Dependencies } from './snapshot-dependencies.js';
import { isUnreadDocument } from './unread-document.js';
import {
  reportedOriginOf,
  sourceKindOf,
  type CoverageEntry,
  type Finding,
  type K8sObject,
  type Origin,
  type ResourceRef,
  type RuleError,
  type ScannedObject,
  type SourceKind,
  type SourceLocation,
} from './types.js';

/** Turns a finding's path into a line and column; supplied by the source that read the text. */
export type Locator = (origin: Origin, path: string | undefined) => SourceLocation | undefined;

export interface EngineOptions {
  readonly rules: readonly Rule[];
  readonly config?: KfguardConfig;
  /** Record every (rule, resource) pair evaluated, for formats that list passes (JUnit). */
  readonly recordEvaluations?: boolean;
  /** The objects judged together; built from `objects` when absent. */
  readonly inventory?: Inventory;
  /** How to build an inventory when none is given (the workload-shape knowledge lives outside core/). */
  readonly podLabelsOf?: PodLabelsOf;
  readonly locate?: Locator;
  readonly limits?: EvaluationLimits;
  /** Called after each object `runRules` judges (a progress display): judged so far, and of how many. */
  readonly onObjectJudged?: (judged: number, total: number) => void;
  /** Kinds the source could not read (`unreadKindsOf` its coverage): rules judge what they read knowing it. */
  readonly unreadKinds?: ReadonlySet<string>;
  /** Rules already judged on some objects (in worker threads); `runRules` replays them in their places. */
  readonly prejudged?: Prejudged;
}

export interface Evaluation {
  readonly ruleId: string;
  readonly resource: ResourceRef;
}

export interface EngineResult {
  readonly findings: Finding[];
  readonly ruleErrors: RuleError[];
  readonly evaluations: Evaluation[];
  /** Rules that did not judge something, and why. */
  readonly coverage: CoverageEntry[];
}

export function ruleMatches(rule: Rule, object: K8sObject): boolean {
  return rule.meta.match.some((m) => kindMatches(m, object));
}

function kindMatches(match: KindMatch, object: K8sObject): boolean {
  if (match.kinds !== '*' && !match.kinds.includes(object.kind)) return false;
  return match.apiGroups === '*' || match.apiGroups.includes(apiGroupOf(object.apiVersion));
}

export function ruleAppliesToSource(rule: Rule, source: SourceKind): boolean {
  return rule.meta.sources.includes(source);
}

/** Expensive rules go last, so the slow work they need (bcrypt on another thread) overlaps the rest. */
export function orderByCost(rules: readonly Rule[]): Rule[] {
  const rank = { cheap: 0, moderate: 1, expensive: 2 } as const;
  return [...rules].sort((a, b) => rank[a.meta.needs.cost] - rank[b.meta.needs.cost]);
}

/**
 * The object each finding is about, by identity: two objects may share kind, namespace, name and
 * file, and only the judged one's own annotations may suppress its finding.
 */
const JUDGED_OBJECT = new WeakMap<Finding, ScannedObject>();

/** The object a finding made by the engine judged; undefined for findings built elsewhere or copied. */
export function judgedObjectOf(finding: Finding): ScannedObject | undefined {
  return JUDGED_OBJECT.get(finding);
}

/** Runs rules over objects and records what each produced, what failed and what was not judged. */
class Run {
  readonly findings: Finding[] = [];
  readonly ruleErrors: RuleError[] = [];
  readonly evaluations: Evaluation[] = [];
  readonly coverage: CoverageEntry[] = [];
  private readonly config: KfguardConfig;
  private readonly rules: readonly Rule[];
  private readonly rulesByKind: Map<string, KindRules>;
  private readonly inventoryRulesByKind: Map<string, readonly Rule[]>;
  private readonly uncovered = new Set<string>();

  constructor(private readonly options: EngineOptions) {
    this.config = options.config ?? DEFAULT_CONFIG;
    const shared = sharedIndexOf(options.rules, this.config);
    this.rules = shared.enabled;
    this.rulesByKind = shared.byKind;
    this.inventoryRulesByKind = shared.inventoryRulesByKind;
  }

  get settings(): KfguardConfig {
    return this.config;
  }

  get enabledRules(): readonly Rule[] {
    return this.rules;
  }

  /** Objects of one kind, group and source meet the same rules; decided once, not per object. */
  private rulesFor(object: K8sObject, source: SourceKind): readonly Rule[] {
    const key = `${source}\u0000${apiGroupOf(object.apiVersion)}/${object.kind}`;
    let entry = this.rulesByKind.get(key);
    if (!entry) {
      const matching: Rule[] = [];
      const uncovered: Rule[] = [];
      for (const rule of this.rules) {
        if (!rule.check || !ruleMatches(rule, object)) continue;
        if (ruleAppliesToSource(rule, source)) matching.push(rule);
        else uncovered.push(rule);
      }
      entry = { matching, uncovered };
      this.rulesByKind.set(key, entry);
    }
    // Each run reports its own coverage, so what the shared index knows is replayed here.
    for (const rule of entry.uncovered) this.notCovered(rule, source);
    return entry.matching;
  }

  /** The rules a run judges this object's kind and source with (what `ruleByRule` exposes). */
  matchingRules(object: K8sObject, source: SourceKind): readonly Rule[] {
    return this.rulesFor(object, source);
  }

  /**
   * Whole-inventory rules that match the object or read its kind, by kind and group: the same
   * array each time, so the run built on it finds its kind index already made.
   */
  inventoryRulesFor(object: K8sObject): readonly Rule[] {
    const key = `${apiGroupOf(object.apiVersion)}/${object.kind}`;
    let rules = this.inventoryRulesByKind.get(key);
    if (!rules) {
      rules = this.rules.filter((rule) => rule.checkInventory && (ruleMatches(rule, object) || readsKind(rule, object)));
      if (this.inventoryRulesByKind.size >= MAX_INDEXED_KINDS) this.inventoryRulesByKind.clear();
      this.inventoryRulesByKind.set(key, rules);
    }
    return rules;
  }

  /** One coverage entry per rule and source that could not be judged. */
  notCovered(rule: Rule, source: SourceKind): void {
    const key = `${rule.meta.id}\u0000${source}`;
    if (this.uncovered.has(key)) return;
    this.uncovered.add(key);
    this.coverage.push({ ruleId: rule.meta.id, source, reason: coverageReason(rule.meta, source) });
  }

  checkObject(scanned: ScannedObject, inventory: Inventory, rules?: readonly Rule[]): Finding[] {
    const ahead = rules === undefined ? this.options.prejudged?.outcomesOf(scanned) : undefined;
    if (ahead) return this.checkPrejudged(scanned, inventory, ahead);
    const { object, origin } = scanned;
    const source = sourceKindOf(origin);
    const budget = createBudget(this.options.limits ?? DEFAULT_LIMITS);
    const produced: Finding[] = [];
    // Evaluations are what JUnit and PolicyReport list as passed. A document kfguard could not
    // read passed nothing: its input error stands for it, and its findings (a miner in its raw
    // text) are reported as any other.
    const record = this.options.recordEvaluations === true && !isUnreadDocument(object);
    // One context for every rule: it is the same for all, and this runs per rule on every object.
    const context = { source, inventory, config: this.config, origin, budget, ...(this.options.unreadKinds ? { unreadKinds: this.options.unreadKinds } : {}) };
    // The kind index already holds only rules with a check that apply to the source; a list given
    // by the caller (a baseline re-judging one rule) is filtered here.
    const filtered = rules === undefined;
    for (const rule of rules ?? this.rulesFor(object, source)) {
      if (!filtered && (!rule.check || !ruleAppliesToSource(rule, source))) continue;
      if (!rule.check) continue;
      if (record) this.evaluations.push({ ruleId: rule.meta.id, resource: refOf(object) });
      this.judgeRule(rule, scanned, context, budget, produced);
    }
    return produced;
  }

  /**
   * One rule on one object: its findings into `produced`, its error and budget cuts into the run.
   * `ledger` is the budget itself, read here without counting as the rule's use of it.
   */
  private judgeRule(rule: Rule, scanned: ScannedObject, context: RuleContext, ledger: Budget, produced: Finding[]): void {
    const { object } = scanned;
    const before = ledger.exhausted.length;
    try {
      // Non-null: the callers skip rules without `check`.
      for (const violation of rule.check!(object, context)) {
        produced.push(this.toFinding(rule, scanned, violation));
      }
    } catch (error) {
      const message = errorMessage(error);
      this.ruleErrors.push({ ruleId: rule.meta.id, resource: refOf(object), message });
      // A threat rule that fails must not let what it was judging pass as clean: it fails toward suspicious.
      if (rule.meta.category === 'threat') produced.push(this.toFinding(rule, scanned, failedThreatCheck(object, message)));
    }
    // Indexed, not sliced: this runs for every rule on every object, and nearly always finds nothing.
    for (let i = before; i < ledger.exhausted.length; i++) {
      this.coverage.push({ ruleId: rule.meta.id, source: context.source, resource: refOf(object), reason: `not fully evaluated: ${ledger.exhausted[i]}` });
    }
  }

  /**
   * Findings of the rule `outcomeOf` is judging: one array for every call, emptied each time, since
   * nearly every rule on nearly every object finds nothing (judging ahead calls this per rule and object).
   */
  private readonly pending: Finding[] = [];

  /** What one rule gives on one object, kept out of the run's own results (judging ahead). */
  outcomeOf(rule: Rule, scanned: ScannedObject, context: RuleContext, ledger: Budget): RuleOutcome {
    const findings = this.pending;
    findings.length = 0;
    const errorsBefore = this.ruleErrors.length;
    const coverageBefore = this.coverage.length;
    this.judgeRule(rule, scanned, context, ledger, findings);
    if (findings.length === 0 && this.ruleErrors.length === errorsBefore && this.coverage.length === coverageBefore) return NOTHING_FOUND;
    return { findings: findings.splice(0), ruleErrors: this.ruleErrors.splice(errorsBefore), coverage: this.coverage.splice(coverageBefore) };
  }

  /**
   * An object some of whose rules were judged ahead: their outcomes are replayed in their places,
   * the others judged now, so findings, errors, coverage and evaluations come in the same order as
   * judging every rule now. When a rule judged now drew on the budget that one judged ahead drew
   * on too, they would have shared it: the object is judged again whole.
   */
  private checkPrejudged(scanned: ScannedObject, inventory: Inventory, ahead: PrejudgedObject): Finding[] {
    const { object, origin } = scanned;
    const source = sourceKindOf(origin);
    const rules = this.rulesFor(object, source);
    const marks = { errors: this.ruleErrors.length, coverage: this.coverage.length, evaluations: this.evaluations.length };
    const ledger = createBudget(this.options.limits ?? DEFAULT_LIMITS);
    const budget = new WatchedBudget(ledger);
    const record = this.options.recordEvaluations === true && !isUnreadDocument(object);
    const context = { source, inventory, config: this.config, origin, budget, ...(this.options.unreadKinds ? { unreadKinds: this.options.unreadKinds } : {}) };
    const produced: Finding[] = [];
    for (const rule of rules) {
      if (!rule.check || !ruleAppliesToSource(rule, source)) continue;
      if (record) this.evaluations.push({ ruleId: rule.meta.id, resource: refOf(object) });
      const outcome = ahead.outcomeOf(rule);
      if (!outcome) this.judgeRule(rule, scanned, context, ledger, produced);
      else if (outcome !== NOTHING_FOUND) {
        // Findings judged on another thread arrive as copies: they are tied to this object here,
        // as `toFinding` ties its own, so its suppressions apply to them.
        for (const finding of outcome.findings) {
          JUDGED_OBJECT.set(finding, scanned);
          produced.push(finding);
        }
        for (const error of outcome.ruleErrors) this.ruleErrors.push(error);
        for (const entry of outcome.coverage) this.coverage.push(entry);
      }
    }
    if (!(ahead.usedBudget && budget.touched)) return produced;
    this.ruleErrors.length = marks.errors;
    this.coverage.length = marks.coverage;
    this.evaluations.length = marks.evaluations;
    return this.checkObject(scanned, inventory, rules);
  }

  /** Whole-inventory rules, keeping the violations `keep` accepts. */
  checkInventory(inventory: Inventory, sources: ReadonlySet<SourceKind>, keep: (target: ScannedObject) => boolean = () => true): Finding[] {
    return this.rules.flatMap((rule) => (rule.checkInventory ? this.checkInventoryOf(rule, inventory, sources, keep) : []));
  }

  checkInventoryOf(rule: Rule, inventory: Inventory, sources: ReadonlySet<SourceKind>, keep: (target: ScannedObject) => boolean = () => true): Finding[] {
    if (!rule.checkInventory) return [];
    const produced: Finding[] = [];
    const judged = [...sources].filter((source) => ruleAppliesToSource(rule, source));
    for (const source of sources) if (!ruleAppliesToSource(rule, source)) this.notCovered(rule, source);
    if (judged.length === 0) return produced;
    try {
      for (const violation of rule.checkInventory({ source: judged[0] as SourceKind, inventory, config: this.config })) {
        if (!ruleAppliesToSource(rule, sourceKindOf(violation.target.origin)) || !keep(violation.target)) continue;
        produced.push(this.toFinding(rule, violation.target, violation));
      }
    } catch (error) {
      this.ruleErrors.push({ ruleId: rule.meta.id, message: errorMessage(error) });
    }
    return produced;
  }

  toFinding(rule: Rule, scanned: ScannedObject, violation: Violation): Finding {
    const { meta } = rule;
    const resource = refOf(scanned.object);
    const location = this.options.locate?.(scanned.origin, violation.path);
    const finding: Finding = {
      ruleId: meta.id,
      severity: this.config.rules[meta.id]?.severity ?? violation.severity ?? meta.severity,
      category: meta.category,
      title: meta.title,
      message: violation.message,
      resource,
      ...(location ? { location } : {}),
      ...(violation.path !== undefined ? { path: violation.path } : {}),
      evidence: violation.evidence ?? [],
      mitre: meta.mitre,
      remediation: meta.remediation,
      source: sourceKindOf(scanned.origin),
      origin: reportedOriginOf(scanned.origin),
      fingerprint: fingerprintOf(meta.id, resource, violation.path, violation.discriminator),
      ...(violation.attackPath ? { attackPath: violation.attackPath } : {}),
    };
    JUDGED_OBJECT.set(finding, scanned);
    return finding;
  }

  result(): EngineResult {
    return { findings: this.findings, ruleErrors: this.ruleErrors, evaluations: this.evaluations, coverage: this.coverage };
  }
}


/** The rules one kind, group and source meet, and the enabled rules that match it but not the source. */
interface KindRules {
  readonly matching: readonly Rule[];
  readonly uncovered: readonly Rule[];
}

interface SharedIndex {
  readonly enabled: readonly Rule[];
  readonly byKind: Map<string, KindRules>;
  readonly inventoryRulesByKind: Map<string, readonly Rule[]>;
}

/**
 * The kind index, kept per rule list and config: a webhook or watch judges one object per run,
 * and rebuilding the index each time cost more than most rules. Both keys are held weakly, and
 * the index only grows with the kinds seen, which a hostile stream could make many: it is bounded.
 */
const sharedIndexes = new WeakMap<readonly Rule[], WeakMap<KfguardConfig, SharedIndex>>();
const MAX_INDEXED_KINDS = 4_096;

function sharedIndexOf(rules: readonly Rule[], config: KfguardConfig): SharedIndex {
  let byConfig = sharedIndexes.get(rules);
  if (!byConfig) {
    byConfig = new WeakMap();
    sharedIndexes.set(rules, byConfig);
  }
  let index = byConfig.get(config);
  if (!index || index.byKind.size > MAX_INDEXED_KINDS) {
    index = { enabled: rules.filter((rule) => config.rules[rule.meta.id]?.enabled !== false), byKind: new Map(), inventoryRulesByKind: new Map() };
    byConfig.set(config, index);
  }
  return index;
}

/** The finding a threat rule's error becomes: medium (suspicious, not proven), with the reason. */
function failedThreatCheck(object: K8sObject, message: string): Violation {
  return {
    message: `${describeObject(object)} could not be checked for threats (the rule failed), so it is treated as suspicious: ${message}`,
    severity: 'medium',
    evidence: [`rule error: ${message}`],
    discriminator: 'rule-error',
  };
}

/** Runs every applicable rule over the objects. A rule that throws is recorded, never fatal. */
export function runRules(objects: readonly ScannedObject[], options: EngineOptions): EngineResult {
  const inventory = options.inventory ?? Snapshot.of(objects, options.podLabelsOf ?? (() => []));
  const run = new Run(options);
  const sources = new Set<SourceKind>();
  const progress = options.onObjectJudged;
  let judged = 0;
  for (const scanned of objects) {
    sources.add(sourceKindOf(scanned.origin));
    run.findings.push(...run.checkObject(scanned, inventory));
    if (progress) progress(++judged, objects.length);
  }
  run.findings.push(...run.checkInventory(inventory, sources));
  return run.result();
}

/** One rule at a time on one object, apart from any run's results: what judging objects apart (`judgeAlone`) needs of the engine. */
export interface RuleByRule {
  readonly config: KfguardConfig;
  /** The budget each object's rules share, as the run gives it. */
  readonly limits: EvaluationLimits;
  /** The enabled rules that judge this object from its source, in the order a run judges them. */
  rulesFor(scanned: ScannedObject): readonly Rule[];
  /** `ledger` is the budget behind `context.budget`, read without counting as the rule's use. */
  outcomeOf(rule: Rule, scanned: ScannedObject, context: RuleContext, ledger: Budget): RuleOutcome;
}

/** Judges as `runRules` with these options would, one rule at a time (see `judgeAlone`). */
export function ruleByRule(options: EngineOptions): RuleByRule {
  const run = new Run({ ...options, recordEvaluations: false });
  return {
    config: run.settings,
    limits: options.limits ?? DEFAULT_LIMITS,
    rulesFor: (scanned) => run.matchingRules(scanned.object, sourceKindOf(scanned.origin)),
    outcomeOf: (rule, scanned, context, ledger) => run.outcomeOf(rule, scanned, context, ledger),
  };
}

export interface ObjectEvaluation extends EngineResult {
  /**
   * Findings on other objects that laying this object over the snapshot creates: a Service switched
   * to LoadBalancer is reported on itself, a VirtualService that routes the dashboard out makes the
   * gateway Service's finding. Compared by fingerprint with the snapshot as it is.
   */
  readonly introduced: Finding[];
  /**
   * The other objects whose recorded reads the change touches, each with the per-object rules that
   * read it: a live watch judges them again with those rules, so a finding there that changes
   * (severity, message) or goes away shows at once, not only a new fingerprint.
   */
  readonly dependents: ReadonlyMap<ScannedObject, ReadonlySet<string>>;
}

/**
 * Each rule's findings on the snapshot as it stands, for `introduced`, per config (rule options and
 * lists change findings) and rule id.
 */
const baselines = new WeakMap<Snapshot, WeakMap<KfguardConfig, Map<string, RuleBaseline>>>();

/**
 * Judges one object laid over a snapshot (the admitted object, a watched change) without changing
 * the snapshot. Its own findings equal those of a full rescan of the snapshot with the object in it;
 * `introduced` adds the findings it creates on other objects, for rules that read its kind.
 */
export function evaluateObject(snapshot: Snapshot, scanned: ScannedObject, options: EngineOptions): ObjectEvaluation {
  const overlay = snapshot.overlay(scanned);
  const run = new Run(options);
  const source = sourceKindOf(scanned.origin);
  const { object } = scanned;
  run.findings.push(...run.checkObject(scanned, overlay));
  // Whole-inventory rules report on objects they match; one that matches neither the object nor
  // reads its kind cannot say anything new about this change.
  const inventoryRules = run.inventoryRulesFor(object);
  const identity = refKey(refOf(object));
  const introduced: Finding[] = [];
  const quiet = new Run({ ...options, rules: inventoryRules, recordEvaluations: false });
  for (const finding of quiet.checkInventory(overlay, new Set([source]))) {
    if (refKey(finding.resource) === identity) run.findings.push({ ...finding, source, origin: reportedOriginOf(scanned.origin) });
    else if (!baselineOf(snapshot, quiet, inventoryRuleById(inventoryRules, finding.ruleId)).has(finding.fingerprint)) introduced.push(finding);
  }
  for (const entry of quiet.coverage) run.coverage.push(entry);
  // Per-object rules: rerun only on the objects whose recorded reads the change touches.
  const changed = [...snapshot.copiesOf(object), scanned];
  const touched = snapshot.changeTest(changed);
  const dependents = new Map<ScannedObject, Set<string>>();
  for (const rule of run.enabledRules) {
    if (!rule.check || !readsKind(rule, object)) continue;
    const before = baselineOf(snapshot, quiet, rule);
    for (const dependent of before.dependents(snapshot, changed)) {
      if (changed.includes(dependent.scanned) || !touched(dependent.dependencies)) continue;
      addRuleOf(dependents, dependent.scanned, rule.meta.id);
      for (const finding of quiet.checkObject(dependent.scanned, overlay, [rule])) {
        if (refKey(finding.resource) !== identity && !before.has(finding.fingerprint)) introduced.push(finding);
      }
    }
  }
  return { ...run.result(), introduced, dependents };
}

/**
 * Judges deleting an object from a snapshot without changing the snapshot: `introduced` holds the
 * findings on other objects that the snapshot without it has and the snapshot as it is has not (an
 * AuthorizationPolicy of the auth chain deleted exposes the gateway). `findings` is always empty:
 * a deleted object has nothing left to report on itself.
 */
export function evaluateRemoval(snapshot: Snapshot, removed: ScannedObject, options: EngineOptions): ObjectEvaluation {
  const { object } = removed;
  const changed = snapshot.copiesOf(object);
  const run = new Run(options);
  if (changed.length === 0) return { ...run.result(), introduced: [], dependents: new Map() };
  const without = snapshot.without(object);
  const source = sourceKindOf(removed.origin);
  const inventoryRules = run.inventoryRulesFor(object);
  const quiet = new Run({ ...options, rules: inventoryRules, recordEvaluations: false });
  const introduced = quiet.checkInventory(without, new Set([source])).filter((f) => !baselineOf(snapshot, quiet, inventoryRuleById(inventoryRules, f.ruleId)).has(f.fingerprint));
  const touched = snapshot.changeTest(changed);
  const dependents = new Map<ScannedObject, Set<string>>();
  for (const rule of run.enabledRules) {
    if (!rule.check || !readsKind(rule, object)) continue;
    const before = baselineOf(snapshot, quiet, rule);
    for (const dependent of before.dependents(snapshot, changed)) {
      if (changed.includes(dependent.scanned) || !touched(dependent.dependencies)) continue;
      addRuleOf(dependents, dependent.scanned, rule.meta.id);
      for (const finding of quiet.checkObject(dependent.scanned, without, [rule])) if (!before.has(finding.fingerprint)) introduced.push(finding);
    }
  }
  for (const entry of quiet.coverage) run.coverage.push(entry);
  run.ruleErrors.push(...quiet.ruleErrors);
  return { ...run.result(), introduced, dependents };
}

/**
 * The objects of the snapshot whose recorded reads `changed` touches (copies an applied change
 * replaced, and those that replaced them), each with the per-object rules that read it, leaving
 * out the changed objects themselves. For changes already applied: a watch judges updates after
 * the snapshot holds them, and then the objects whose findings read them (a Service switched to
 * LoadBalancer exposes the Deployment behind it).
 */
export function dependentsOfChange(snapshot: Snapshot, changed: readonly ScannedObject[], options: EngineOptions): Map<ScannedObject, Set<string>> {
  const dependents = new Map<ScannedObject, Set<string>>();
  if (changed.length === 0) return dependents;
  const run = new Run({ ...options, recordEvaluations: false });
  const touched = snapshot.changeTest(changed);
  for (const rule of run.enabledRules) {
    if (!rule.check || !changed.some(({ object }) => readsKind(rule, object))) continue;
    for (const dependent of baselineOf(snapshot, run, rule).dependents(snapshot, changed)) {
      if (changed.includes(dependent.scanned) || !touched(dependent.dependencies)) continue;
      addRuleOf(dependents, dependent.scanned, rule.meta.id);
    }
  }
  return dependents;
}

function addRuleOf(dependents: Map<ScannedObject, Set<string>>, scanned: ScannedObject, ruleId: string): void {
  const rules = dependents.get(scanned);
  if (rules) rules.add(ruleId);
  else dependents.set(scanned, new Set([ruleId]));
}

function readsKind(rule: Rule, object: K8sObject): boolean {
  const reads = rule.meta.needs.reads;
  return reads === '*' || reads.includes(object.kind);
}

function inventoryRuleById(rules: readonly Rule[], id: string): Rule {
  return rules.find((rule) => rule.meta.id === id) as Rule;
}

const NO_FINGERPRINTS: readonly string[] = [];

/** What one object's check gave on the snapshot, and what it read. */
interface ObjectBaseline extends CopyRecord {
  readonly fingerprints: readonly string[];
  /** Absent when the check read nothing beyond the object: only a change to the object moves it. */
  readonly dependencies?: Dependencies;
}

/**
 * A rule's findings on the snapshot as it stands, kept per object and brought up to date from the
 * snapshot's change log: a watch that changes one object re-judges that object and the objects
 * whose recorded reads the change touches, never the whole cluster.
 */
class RuleBaseline {
  version = -1;
  /** Keyed by identity where the copies carry one: a watch's update replaces its record in place. */
  readonly perObject = new CopyRecords<ObjectBaseline>();
  private readonly counts = new Map<string, number>();
  private inventoryFingerprints: readonly string[] = [];
  /** Which judged objects read what: a change looks up its candidates instead of testing every object. */
  private readonly readers = new ReaderIndex();

  constructor(private readonly rule: Rule) {}

  has(fingerprint: string): boolean {
    return this.counts.has(fingerprint);
  }

  /** Judged objects whose recorded reads `changed` may touch; each still needs the exact test. */
  *dependents(snapshot: Snapshot, changed: readonly ScannedObject[]): Iterable<{ scanned: ScannedObject; dependencies: Dependencies }> {
    for (const scanned of this.readers.candidates(snapshot, changed)) {
      const dependencies = this.perObject.get(scanned)?.dependencies;
      if (dependencies) yield { scanned, dependencies };
    }
  }

  /**
   * Once the snapshot has moved on past its change log, this baseline can only be rebuilt whole at
   * its next use, so what it holds is dropped now: its per-object records key the copies it judged,
   * and a rule no change asks about (one matching Pods and reading only RBAC, in a watch where only
   * Pods change) would otherwise keep every replaced copy alive beside the snapshot's own.
   */
  releaseIfBeyondLog(snapshot: Snapshot): void {
    if (this.version < 0 || snapshot.version - this.version <= CHANGE_LOG_LENGTH) return;
    this.perObject.clear();
    this.readers.clear();
    this.counts.clear();
    this.inventoryFingerprints = [];
    this.version = -1;
  }

  bringUpToDate(snapshot: Snapshot, run: Run): void {
    if (this.version === snapshot.version) return;
    const changes = this.version < 0 ? undefined : snapshot.changesSince(this.version);
    // Past a quarter of the objects, judging everything again is cheaper than testing each read.
    if (!changes || changes.removed.length + changes.added.length > Math.max(64, this.perObject.size / 4)) this.rebuild(snapshot, run);
    else this.update(snapshot, run, changes);
    if (this.rule.checkInventory) {
      this.count(this.inventoryFingerprints, -1);
      // A loop, not `map`: an array the size of the cluster per rule at each update is
      // large-object garbage only a full collection frees (a live snapshot's memory).
      const sources = new Set<SourceKind>();
      for (const scanned of snapshot.all) sources.add(sourceKindOf(scanned.origin));
      this.inventoryFingerprints = run.checkInventoryOf(this.rule, snapshot, sources).map((f) => f.fingerprint);
      this.count(this.inventoryFingerprints, 1);
    }
    this.version = snapshot.version;
  }

  /**
   * Judges every object the rule matches again. The records of objects still held are not dropped
   * first: `judge` keeps a record whose judgement came out the same, so a rebuild after churn
   * elsewhere (a Service rule that reads Pods, rebuilt each second of a Pod churn) leaves its new
   * records to die young instead of replacing every old one (docs/benchmarks.md, h-watchflat11).
   */
  private rebuild(snapshot: Snapshot, run: Run): void {
    if (!this.rule.check) {
      this.perObject.clear();
      this.readers.clear();
      this.counts.clear();
      this.inventoryFingerprints = [];
      return;
    }
    // Copies the snapshot no longer holds (replaced or deleted) are forgotten; their places are
    // kept for the copies that replaced them, and dropped after for those deleted.
    const gone: ScannedObject[] = [];
    for (const { scanned } of this.perObject.values()) {
      if (snapshot.originOf(scanned.object) === scanned) continue;
      this.forget(scanned, true);
      gone.push(scanned);
    }
    // Rules over every kind judge every object; the others only the kinds they match.
    const anyKind = this.rule.meta.match.some((m) => m.kinds === '*');
    const judged = anyKind ? snapshot.all : [...new Set(this.rule.meta.match.flatMap((m) => (m.kinds === '*' ? [] : m.kinds)))].flatMap((kind) => snapshot.ofKind(kind));
    for (const scanned of judged) this.judge(snapshot, run, scanned);
    for (const scanned of gone) this.perObject.dropPlace(scanned);
  }

  private update(snapshot: Snapshot, run: Run, changes: { removed: ScannedObject[]; added: ScannedObject[] }): void {
    // The record of each replaced copy: its new copy keeps it if judged the same.
    const replaced = new ReplacedRecords();
    for (const gone of changes.removed) {
      const record = this.forget(gone, true);
      if (record) replaced.add(gone, record);
    }
    if (!this.rule.check) {
      for (const gone of changes.removed) this.perObject.dropPlace(gone);
      return;
    }
    const changed = [...changes.removed, ...changes.added];
    const touched = snapshot.changeTestSince(changed, this.version);
    const stale = [...this.dependents(snapshot, changed)].filter((d) => touched(d.dependencies)).map((d) => d.scanned);
    for (const scanned of stale) this.judge(snapshot, run, scanned);
    for (const added of changes.added) {
      // Added and replaced again since: only the copy the snapshot still holds counts.
      if (snapshot.originOf(added.object) === added) this.judge(snapshot, run, added, replaced.of(added));
    }
    for (const gone of changes.removed) this.perObject.dropPlace(gone);
  }

  /** `replaced`: the record of the copy `scanned` replaced, which it keeps if judged the same. */
  private judge(snapshot: Snapshot, run: Run, scanned: ScannedObject, replaced?: ObjectBaseline): void {
    if (!ruleMatches(this.rule, scanned.object)) {
      this.forget(scanned);
      return;
    }
    const recorder = new DependencyRecorder(snapshot);
    const found = run.checkObject(scanned, recorder.inventory, [this.rule]);
    const read = recorder.read;
    // The same judgement as the record held: the record stays, and what was just built dies young.
    // Replacing it would make the old record old-generation garbage, which is what fragments a
    // watch's heap: most re-judged objects, and most new copies of a changed one, come out the same.
    const current = this.perObject.get(scanned);
    const held = current ?? replaced;
    if (held && sameFingerprints(held.fingerprints, found) && (read ? held.dependencies !== undefined && sameDependencies(held.dependencies, recorder.dependencies) : held.dependencies === undefined)) {
      if (held !== current) this.keep(scanned, held);
      return;
    }
    this.forget(scanned);
    // Most objects have no finding: they share one empty list (one is kept per object and rule).
    const fingerprints = found.length === 0 ? NO_FINGERPRINTS : found.map((f) => f.fingerprint);
    this.keep(scanned, read ? { scanned, fingerprints, dependencies: recorder.dependencies } : { scanned, fingerprints });
  }

  private keep(scanned: ScannedObject, record: ObjectBaseline): void {
    this.perObject.set(scanned, record);
    if (record.dependencies) this.readers.add(scanned, record.dependencies);
    this.count(record.fingerprints, 1);
  }

  /**
   * Drops the record of `scanned`, returned. `keepPlace` when a copy replacing it is judged next
   * (`CopyRecords.delete`); the caller then drops the place if none took it.
   */
  private forget(scanned: ScannedObject, keepPlace = false): ObjectBaseline | undefined {
    const entry = this.perObject.delete(scanned, keepPlace);
    if (!entry) return undefined;
    if (entry.dependencies) this.readers.remove(scanned, entry.dependencies);
    this.count(entry.fingerprints, -1);
    return entry;
  }

  private count(fingerprints: readonly string[], delta: 1 | -1): void {
    for (const fingerprint of fingerprints) {
      const next = (this.counts.get(fingerprint) ?? 0) + delta;
      if (next > 0) this.counts.set(fingerprint, next);
      else this.counts.delete(fingerprint);
    }
  }
}

/**
 * The records of copies a change log replaced, found again from their new copies. Keyed by the
 * name the object already holds, not a key built for it: built keys and reference objects live for
 * the whole update and are promoted when a scavenge falls in it, old-generation garbage again.
 * Two replaced objects of one name (other namespaces or kinds): the first is found, the other's
 * new copy gets a new record.
 */
class ReplacedRecords {
  private readonly byName = new Map<unknown, ScannedObject>();
  private readonly records = new Map<ScannedObject, ObjectBaseline>();

  add(gone: ScannedObject, record: ObjectBaseline): void {
    const name = gone.object.metadata?.name;
    if (this.byName.has(name)) return;
    this.byName.set(name, gone);
    this.records.set(gone, record);
  }

  of(added: ScannedObject): ObjectBaseline | undefined {
    if (this.records.size === 0) return undefined;
    const gone = this.byName.get(added.object.metadata?.name);
    if (!gone) return undefined;
    const [a, b] = [gone.object, added.object];
    return a.kind === b.kind && a.apiVersion === b.apiVersion && a.metadata?.namespace === b.metadata?.namespace ? this.records.get(gone) : undefined;
  }
}

/**
 * From what was read to who read it. Keys are coarse (a kind, a namespace, the Services of a
 * namespace): a candidate is then tested exactly, but most objects are never looked at.
 */
class ReaderIndex {
  private readonly byKey = new Map<string, Set<ScannedObject>>();
  private readonly byAnalysis = new Map<DerivedAnalysis<unknown>, Set<ScannedObject>>();
  /**
   * Readers by the coarse keys of a change (its kinds and namespaces), kept until the index
   * changes: admission requests of one kind into one namespace meet the same readers each time.
   */
  private readonly byChangeKeys = new Map<string, readonly ScannedObject[]>();

  add(scanned: ScannedObject, dependencies: Dependencies): void {
    this.byChangeKeys.clear();
    for (const key of readKeys(dependencies)) addTo(this.byKey, key, scanned);
    for (const analysis of dependencies.analyses) addTo(this.byAnalysis, analysis, scanned);
  }

  remove(scanned: ScannedObject, dependencies: Dependencies): void {
    this.byChangeKeys.clear();
    for (const key of readKeys(dependencies)) this.byKey.get(key)?.delete(scanned);
    for (const analysis of dependencies.analyses) this.byAnalysis.get(analysis)?.delete(scanned);
  }

  clear(): void {
    this.byChangeKeys.clear();
    this.byKey.clear();
    this.byAnalysis.clear();
  }

  candidates(snapshot: Snapshot, changed: readonly ScannedObject[]): Iterable<ScannedObject> {
    const byKey = this.readersByKeys(changed);
    let found: Set<ScannedObject> | undefined;
    for (const [analysis, readers] of this.byAnalysis) {
      if (readers.size === 0 || !snapshot.affects(analysis, changed)) continue;
      found ??= new Set(byKey);
      for (const scanned of readers) found.add(scanned);
    }
    return found ?? byKey;
  }

  private readersByKeys(changed: readonly ScannedObject[]): readonly ScannedObject[] {
    const { cacheKey, keys } = changeKeysOf(changed);
    const cached = cacheKey === undefined ? undefined : this.byChangeKeys.get(cacheKey);
    if (cached) return cached;
    const found = new Set<ScannedObject>();
    for (const key of keys) for (const scanned of this.byKey.get(key) ?? []) found.add(scanned);
    const readers = [...found];
    if (cacheKey === undefined) return readers;
    // Keys name kinds and namespaces the change carries, which a hostile stream could vary without end.
    if (this.byChangeKeys.size >= MAX_CACHED_CHANGE_KEYS) this.byChangeKeys.clear();
    this.byChangeKeys.set(cacheKey, readers);
    return readers;
  }
}

const MAX_CACHED_CHANGE_KEYS = 256;

/**
 * Changes touching more coarse keys than this are not cached by their keys. A change of one object,
 * or of a few in one namespace (an admission request), has 7 at most and meets the same readers
 * again; a watch's batch (a second of Pod changes across hundreds of namespaces) is never seen
 * twice, and its joined key (23 KB at scale 1) and readers stayed cached until the index changed,
 * old-generation garbage and the one part of the watch's live set that grew along the changes
 * (h-watchrss11).
 */
const MAX_CACHED_KEY_COUNT = 16;

interface ChangeKeys {
  /** Undefined when the change is not to be cached (`MAX_CACHED_KEY_COUNT`). */
  readonly cacheKey: string | undefined;
  readonly keys: ReadonlySet<string>;
}

/**
 * The coarse keys a change touches; every rule's index asks for the same change in turn. Held
 * weakly, so the admitted object is not kept past its request.
 */
const changeKeys = new WeakMap<readonly ScannedObject[], ChangeKeys>();

function changeKeysOf(changed: readonly ScannedObject[]): ChangeKeys {
  const known = changeKeys.get(changed);
  if (known) return known;
  const keys = new Set(['all', 'namespaces']);
  for (const { object } of changed) {
    const namespace = object.metadata?.namespace ?? '';
    keys.add(`kind\u0000${object.kind}`).add(`namespace\u0000${namespace}`).add(`selector\u0000${namespace}`).add(`labels\u0000${namespace}`);
    if (object.kind === 'Service') keys.add(`services\u0000${namespace}`);
  }
  const result = { cacheKey: keys.size <= MAX_CACHED_KEY_COUNT ? [...keys].join('\u0001') : undefined, keys };
  changeKeys.set(changed, result);
  return result;
}

function readKeys(dependencies: Dependencies): string[] {
  const keys: string[] = [];
  if (dependencies.all || dependencies.allRelevant) keys.push('all');
  if (dependencies.namespaceList) keys.push('namespaces');
  for (const kind of dependencies.kinds) keys.push(`kind\u0000${kind}`);
  for (const namespace of dependencies.namespaces) keys.push(`namespace\u0000${namespace}`);
  for (const { namespace } of dependencies.serviceSelectors) keys.push(`selector\u0000${namespace}`);
  for (const namespace of dependencies.serviceNamespaces) keys.push(`services\u0000${namespace}`);
  for (const { namespace } of dependencies.labelSelectors) keys.push(`labels\u0000${namespace}`);
  return keys;
}

function addTo<K>(map: Map<K, Set<ScannedObject>>, key: K, scanned: ScannedObject): void {
  const set = map.get(key);
  if (set) set.add(scanned);
  else map.set(key, new Set([scanned]));
}

/**
 * The record a rule's baseline holds for one object (undefined when none), as an opaque value: for
 * tests of what the baselines keep and replace.
 */
export function baselineRecordOf(snapshot: Snapshot, config: KfguardConfig, ruleId: string, scanned: ScannedObject): object | undefined {
  return baselines.get(snapshot)?.get(config)?.get(ruleId)?.perObject.get(scanned);
}

/** The snapshot version at which each set of baselines was last looked over (`releaseIfBeyondLog`). */
const releasedAt = new WeakMap<Map<string, RuleBaseline>, number>();

/** A rule's baseline, kept per snapshot and brought up to date on first use after each change. */
function baselineOf(snapshot: Snapshot, run: Run, rule: Rule): RuleBaseline {
  let byConfig = baselines.get(snapshot);
  if (!byConfig) {
    byConfig = new WeakMap();
    baselines.set(snapshot, byConfig);
  }
  let byRule = byConfig.get(run.settings);
  if (!byRule) {
    byRule = new Map();
    byConfig.set(run.settings, byRule);
  }
  // Once per version, not per call: this runs for every inventory finding an evaluation compares.
  if (releasedAt.get(byRule) !== snapshot.version) {
    releasedAt.set(byRule, snapshot.version);
    for (const other of byRule.values()) other.releaseIfBeyondLog(snapshot);
  }
  let result = byRule.get(rule.meta.id);
  if (!result) {
    result = new RuleBaseline(rule);
    byRule.set(rule.meta.id, result);
  }
  result.bringUpToDate(snapshot, run);
  return result;
}

const refKey = (ref: ResourceRef): string => `${ref.apiVersion}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`;
