import { createBudget, WatchedBudget } from './budget.js';
import type { RuleByRule } from './engine.js';
import { NOTHING_FOUND, type AloneVerdict } from './prejudged.js';
import type { Inventory } from './inventory.js';
import type { KfguardConfig } from './config-types.js';
import type { Budget } from './budget.js';
import type { Rule, RuleContext } from './rule.js';
import { sourceKindOf, type Finding, type Origin, type ScannedObject, type SourceKind } from './types.js';

/**
 * Judges one object with the rules that need nothing but the object, away from the other objects
 * (on a worker thread that holds only its share of a cluster's lists). Which rules those are is
 * not taken on trust from their declared `needs`: each rule is judged with an inventory that
 * answers nothing and a context whose `unreadKinds` refuses too. A rule that asks either anything
 * (the miner rule resolving a ConfigMap an env var names, an exposure rule's graph, RBAC judging
 * what could not be listed) is stopped at the question and left to the thread holding every
 * object; one that asks nothing gave a verdict no other object can change.
 *
 * Undefined when nothing can be kept: no rule was judged, or a rule failed or ran out of budget
 * (those outcomes are the full evaluation's to report, with its own budget), or a rule judged
 * here drew on a budget that a stopped rule had drawn on first.
 */
export function judgeAlone(engine: RuleByRule, scanned: ScannedObject, plans: AlonePlans): AloneVerdict | undefined {
  const plan = plans.of(engine.rulesFor(scanned));
  const rules = plan.rules;
  if (rules.length === 0) return undefined;
  const { origin } = scanned;
  const source = sourceKindOf(origin);
  const ledger = createBudget(engine.limits);
  const budget = new WatchedBudget(ledger);
  // Made only once a rule finds something: nearly every object gives nothing, and its verdict is
  // then known from which rules were stopped (`stopped`, a bit per rule), with no array per object.
  let findings: (readonly Finding[] | null)[] | undefined;
  let stopped = 0;
  let stoppedCount = 0;
  let usedBudget = false;
  let stoppedAfterBudget = false;
  const refusal = plans.refusal;
  // One context for every rule, as the engine makes it; `unreadKinds` refuses like the inventory.
  const context = new AloneContext(source, refusal, engine.config, origin, budget);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    refusal.asked = false;
    budget.touched = false;
    const outcome = engine.outcomeOf(rule, scanned, context, ledger);
    if (refusal.asked) {
      // Stopped after drawing on the budget: the rules after it saw less than a fresh one.
      stoppedAfterBudget ||= budget.touched;
      stopped += plan.bits[i]!;
      stoppedCount++;
      findings?.push(null);
      continue;
    }
    if (outcome.ruleErrors.length > 0 || outcome.coverage.length > 0) return undefined;
    usedBudget ||= budget.touched;
    if (outcome === NOTHING_FOUND) findings?.push(NO_FINDINGS);
    else {
      findings ??= verdictsUpTo(plan, i, stopped);
      findings.push(outcome.findings);
    }
  }
  if (usedBudget && stoppedAfterBudget) return undefined;
  if (stoppedCount === rules.length) return undefined;
  if (findings) return { ruleIds: plan.ruleIds, findings, usedBudget };
  // Most objects of a kind give the same nothing: they share one record (and one copy per message).
  const key = usedBudget ? -1 - stopped : stopped;
  let shared = plan.shared.get(key);
  if (!shared) {
    shared = { ruleIds: plan.ruleIds, findings: verdictsUpTo(plan, rules.length, stopped), usedBudget };
    plan.shared.set(key, shared);
  }
  return shared;
}

/** The verdicts of the first `count` rules when none of them found anything: null for those stopped. */
function verdictsUpTo(plan: Plan, count: number, stopped: number): (readonly Finding[] | null)[] {
  const verdicts: (readonly Finding[] | null)[] = [];
  for (let i = 0; i < count; i++) verdicts.push(isStopped(stopped, plan.bits[i]!) ? null : NO_FINDINGS);
  return verdicts;
}

/** Whether the rule whose bit is `bit` (a power of two) is in the sum `stopped` of distinct powers of two. */
function isStopped(stopped: number, bit: number): boolean {
  return Math.floor(stopped / bit) % 2 === 1;
}

const NO_FINDINGS: readonly Finding[] = [];

interface Plan {
  readonly rules: readonly Rule[];
  readonly ruleIds: readonly string[];
  /** Each rule's bit (2^i) in the sum of the rules stopped; exact in a double for up to 53 rules. */
  readonly bits: readonly number[];
  /** Verdicts without findings, by the sum of stopped rules' bits (negated less one when the budget was used). */
  readonly shared: Map<number, AloneVerdict>;
}

/** Rules a plan can give bits to: 2^52 is the largest power of two whose sums with smaller ones stay exact. */
const MAX_PLAN_RULES = 53;

/** Per list of matching rules (one per kind and source), those judged alone. */
export class AlonePlans {
  private readonly plans = new WeakMap<readonly Rule[], Plan>();
  /**
   * One refusing inventory for every rule and object: what a rule could cache by inventory is
   * only what it learnt without asking (nothing), and a fresh one per rule and object made the
   * rules' per-inventory caches churn (most of the time went to collecting them).
   */
  readonly refusal = new Refusal();

  of(matching: readonly Rule[]): Plan {
    let plan = this.plans.get(matching);
    if (!plan) {
      // Expensive rules wait for work on another thread (bcrypt): they run in the full evaluation.
      // Beyond what a plan's bits can tell apart, the rest are judged in the full evaluation.
      const rules = matching.filter((rule) => rule.meta.needs.cost !== 'expensive').slice(0, MAX_PLAN_RULES);
      plan = { rules, ruleIds: rules.map((rule) => rule.meta.id), bits: rules.map((_, i) => 2 ** i), shared: new Map() };
      this.plans.set(matching, plan);
    }
    return plan;
  }
}

/** Thrown at the first question a rule judged alone asks: it needs other objects. */
class NeedsOtherObjects extends Error {
  constructor() {
    super('this rule reads other objects: it is judged where every object is');
  }
}

/** A rule's context away from the other objects: a class, so its refusing getter is made once. */
class AloneContext implements RuleContext {
  readonly inventory: Inventory;

  constructor(
    readonly source: SourceKind,
    private readonly refusal: Refusal,
    readonly config: KfguardConfig,
    readonly origin: Origin,
    readonly budget: Budget,
  ) {
    this.inventory = refusal.inventory;
  }

  get unreadKinds(): never {
    return this.refusal.refuse();
  }
}

/** Thrown for every refusal: one error, so refusing costs no stack trace. */
const NEEDS_OTHER_OBJECTS = new NeedsOtherObjects();

/**
 * The inventory a rule judged alone sees: any question marks the rule as needing other objects and
 * stops it (a rule that catches the error is still marked, and its outcome is not kept).
 */
class Refusal {
  asked = false;
  readonly inventory: Inventory;

  constructor() {
    const refuse = (): never => this.refuse();
    this.inventory = {
      get all(): never {
        return refuse();
      },
      ofKind: refuse,
      get: refuse,
      inNamespace: refuse,
      namespaces: refuse,
      selectedByService: refuse,
      servicesSelecting: refuse,
      matchingLabelSelector: refuse,
      originOf: refuse,
      derived: refuse,
    };
  }

  refuse(): never {
    this.asked = true;
    throw NEEDS_OTHER_OBJECTS;
  }
}
