import { createBudget, DEFAULT_LIMITS, type EvaluationLimits } from './budget.js';
import type { KfguardConfig } from './config-types.js';
import { DEFAULT_CONFIG } from './config-types.js';
import { coverageReason } from './coverage.js';
import { errorMessage } from './errors.js';
import { fingerprintOf } from './fingerprint.js';
import type { Inventory } from './inventory.js';
import { apiGroupOf, refOf } from './object.js';
import type { KindMatch, Rule, Violation } from './rule.js';
import { Snapshot, type PodLabelsOf } from './snapshot.js';
import { DependencyRecorder, type Dependencies } from './snapshot-dependencies.js';
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

/** Runs rules over objects and records what each produced, what failed and what was not judged. */
class Run {
  readonly findings: Finding[] = [];
  readonly ruleErrors: RuleError[] = [];
  readonly evaluations: Evaluation[] = [];
  readonly coverage: CoverageEntry[] = [];
  private readonly config: KfguardConfig;
  private readonly rules: readonly Rule[];
  private readonly rulesByKind = new Map<string, Rule[]>();
  private readonly uncovered = new Set<string>();

  constructor(private readonly options: EngineOptions) {
    this.config = options.config ?? DEFAULT_CONFIG;
    this.rules = options.rules.filter((rule) => this.config.rules[rule.meta.id]?.enabled !== false);
  }

  get enabledRules(): readonly Rule[] {
    return this.rules;
  }

  /** Objects of one kind, group and source meet the same rules; decided once, not per object. */
  private rulesFor(object: K8sObject, source: SourceKind): Rule[] {
    const key = `${source}\u0000${apiGroupOf(object.apiVersion)}/${object.kind}`;
    let matching = this.rulesByKind.get(key);
    if (!matching) {
      matching = [];
      for (const rule of this.rules) {
        if (!rule.check || !ruleMatches(rule, object)) continue;
        if (ruleAppliesToSource(rule, source)) matching.push(rule);
        else this.notCovered(rule, source);
      }
      this.rulesByKind.set(key, matching);
    }
    return matching;
  }

  /** One coverage entry per rule and source that could not be judged. */
  notCovered(rule: Rule, source: SourceKind): void {
    const key = `${rule.meta.id}\u0000${source}`;
    if (this.uncovered.has(key)) return;
    this.uncovered.add(key);
    this.coverage.push({ ruleId: rule.meta.id, source, reason: coverageReason(rule.meta, source) });
  }

  checkObject(scanned: ScannedObject, inventory: Inventory, rules?: readonly Rule[]): Finding[] {
    const { object, origin } = scanned;
    const source = sourceKindOf(origin);
    const budget = createBudget(this.options.limits ?? DEFAULT_LIMITS);
    const produced: Finding[] = [];
    for (const rule of rules ?? this.rulesFor(object, source)) {
      if (!rule.check || !ruleAppliesToSource(rule, source)) continue;
      if (this.options.recordEvaluations) this.evaluations.push({ ruleId: rule.meta.id, resource: refOf(object) });
      const before = budget.exhausted.length;
      try {
        for (const violation of rule.check(object, { source, inventory, config: this.config, origin, budget })) {
          produced.push(this.toFinding(rule, scanned, violation));
        }
      } catch (error) {
        this.ruleErrors.push({ ruleId: rule.meta.id, resource: refOf(object), message: errorMessage(error) });
      }
      for (const reason of budget.exhausted.slice(before)) {
        this.coverage.push({ ruleId: rule.meta.id, source, resource: refOf(object), reason: `not fully evaluated: ${reason}` });
      }
    }
    return produced;
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
    return {
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
  }

  result(): EngineResult {
    return { findings: this.findings, ruleErrors: this.ruleErrors, evaluations: this.evaluations, coverage: this.coverage };
  }
}

/** Runs every applicable rule over the objects. A rule that throws is recorded, never fatal. */
export function runRules(objects: readonly ScannedObject[], options: EngineOptions): EngineResult {
  const inventory = options.inventory ?? Snapshot.of(objects, options.podLabelsOf ?? (() => []));
  const run = new Run(options);
  const sources = new Set<SourceKind>();
  for (const scanned of objects) {
    sources.add(sourceKindOf(scanned.origin));
    run.findings.push(...run.checkObject(scanned, inventory));
  }
  run.findings.push(...run.checkInventory(inventory, sources));
  return run.result();
}

export interface ObjectEvaluation extends EngineResult {
  /**
   * Findings on other objects that laying this object over the snapshot creates: a Service switched
   * to LoadBalancer is reported on itself, a VirtualService that routes the dashboard out makes the
   * gateway Service's finding. Compared by fingerprint with the snapshot as it is.
   */
  readonly introduced: Finding[];
}

/** The findings of each rule on the snapshot as it stands, per snapshot version, for `introduced`. */
const baseline = new WeakMap<Snapshot, { version: number; byRule: Map<string, RuleBaseline> }>();

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
  const inventoryRules = run.enabledRules.filter((rule) => rule.checkInventory && (ruleMatches(rule, object) || readsKind(rule, object)));
  const identity = refKey(refOf(object));
  const introduced: Finding[] = [];
  const quiet = new Run({ ...options, rules: inventoryRules, recordEvaluations: false });
  for (const finding of quiet.checkInventory(overlay, new Set([source]))) {
    if (refKey(finding.resource) === identity) run.findings.push({ ...finding, source, origin: reportedOriginOf(scanned.origin) });
    else if (!baselineOf(snapshot, quiet, inventoryRuleById(inventoryRules, finding.ruleId)).fingerprints.has(finding.fingerprint)) introduced.push(finding);
  }
  for (const entry of quiet.coverage) run.coverage.push(entry);
  // Per-object rules: rerun only on the objects whose recorded reads the change touches.
  const changed = [...snapshot.copiesOf(object), scanned];
  const touched = snapshot.changeTest(changed);
  for (const rule of run.enabledRules) {
    if (!rule.check || !readsKind(rule, object)) continue;
    const before = baselineOf(snapshot, quiet, rule);
    for (const dependent of before.dependents) {
      if (changed.includes(dependent.scanned) || !touched(dependent.dependencies)) continue;
      for (const finding of quiet.checkObject(dependent.scanned, overlay, [rule])) {
        if (refKey(finding.resource) !== identity && !before.fingerprints.has(finding.fingerprint)) introduced.push(finding);
      }
    }
  }
  return { ...run.result(), introduced };
}

function readsKind(rule: Rule, object: K8sObject): boolean {
  const reads = rule.meta.needs.reads;
  return reads === '*' || reads.includes(object.kind);
}

function inventoryRuleById(rules: readonly Rule[], id: string): Rule {
  return rules.find((rule) => rule.meta.id === id) as Rule;
}

/** A rule's findings on the snapshot as it stands, and what each object's check read, once per version. */
interface RuleBaseline {
  readonly fingerprints: Set<string>;
  /** Objects whose check read the inventory: only a change to what they read can move their findings. */
  readonly dependents: { readonly scanned: ScannedObject; readonly dependencies: Dependencies }[];
}

/** A rule's baseline, computed once per snapshot version with each object's reads recorded. */
function baselineOf(snapshot: Snapshot, run: Run, rule: Rule): RuleBaseline {
  let entry = baseline.get(snapshot);
  if (!entry || entry.version !== snapshot.version) {
    entry = { version: snapshot.version, byRule: new Map() };
    baseline.set(snapshot, entry);
  }
  let result = entry.byRule.get(rule.meta.id);
  if (!result) {
    const fingerprints = new Set<string>();
    const dependents: RuleBaseline['dependents'][number][] = [];
    if (rule.check) {
      // Rules over every kind judge every object; the others only the kinds they match.
      const anyKind = rule.meta.match.some((m) => m.kinds === '*');
      const judged = anyKind ? snapshot.all : [...new Set(rule.meta.match.flatMap((m) => (m.kinds === '*' ? [] : m.kinds)))].flatMap((kind) => snapshot.ofKind(kind));
      for (const scanned of judged) {
        if (!ruleMatches(rule, scanned.object)) continue;
        const recorder = new DependencyRecorder(snapshot);
        for (const finding of run.checkObject(scanned, recorder.inventory, [rule])) fingerprints.add(finding.fingerprint);
        if (recorder.read) dependents.push({ scanned, dependencies: recorder.dependencies });
      }
    }
    if (rule.checkInventory) {
      const sources = new Set(snapshot.all.map((s) => sourceKindOf(s.origin)));
      for (const finding of run.checkInventoryOf(rule, snapshot, sources)) fingerprints.add(finding.fingerprint);
    }
    result = { fingerprints, dependents };
    entry.byRule.set(rule.meta.id, result);
  }
  return result;
}

const refKey = (ref: ResourceRef): string => `${ref.apiVersion}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`;
