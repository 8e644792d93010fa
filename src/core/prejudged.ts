import type { Rule } from './rule.js';
import type { CoverageEntry, Finding, RuleError, ScannedObject } from './types.js';

/**
 * What one rule gave on one object when it was judged apart from the full evaluation (on a worker
 * thread while a cluster's lists were still on the wire): replayed in the rule's place, so the
 * result is the one judging it in the full evaluation would have given.
 */
export interface RuleOutcome {
  readonly findings: readonly Finding[];
  readonly ruleErrors: readonly RuleError[];
  /** The budget cuts the rule reported on the object, as coverage entries. */
  readonly coverage: readonly CoverageEntry[];
}

/** The rules judged apart on one object (by identity: a copy put in later is judged again). */
export interface PrejudgedObject {
  /** Undefined for a rule that was not judged apart: it is judged in the full evaluation. */
  outcomeOf(rule: Rule): RuleOutcome | undefined;
  /**
   * A rule judged apart drew on the object's budget. One judged later that draws on it too would
   * have seen what that rule left, not a fresh budget: the object is then judged again whole.
   */
  readonly usedBudget: boolean;
}

/** Objects judged apart, for `EngineOptions.prejudged`. */
export interface Prejudged {
  outcomesOf(scanned: ScannedObject): PrejudgedObject | undefined;
}

/**
 * One object's verdict from `judgeAlone`, as plain data (it crosses threads by structured clone).
 * Only rules that neither failed nor ran out of budget are in it: those are judged again whole.
 */
export interface AloneVerdict {
  /** The rules judged, in the order a run judges them. */
  readonly ruleIds: readonly string[];
  /** Per rule: null when it asked for other objects (it is judged in the full evaluation), else its findings. */
  readonly findings: readonly (readonly Finding[] | null)[];
  readonly usedBudget: boolean;
}

/** A verdict as the engine replays it; shared verdicts (most objects) give one shared object. */
export function prejudgedFrom(verdict: AloneVerdict): PrejudgedObject {
  let known = REPLAYS.get(verdict);
  if (!known) {
    known = new VerdictReplay(verdict);
    REPLAYS.set(verdict, known);
  }
  return known;
}

const REPLAYS = new WeakMap<AloneVerdict, PrejudgedObject>();

/** The outcome of a rule that found nothing; the engine compares with it by identity. */
export const NOTHING_FOUND: RuleOutcome = Object.freeze({ findings: [], ruleErrors: [], coverage: [] });

class VerdictReplay implements PrejudgedObject {
  readonly usedBudget: boolean;
  private places: ReadonlyMap<string, number> | undefined;

  constructor(private readonly verdict: AloneVerdict) {
    this.usedBudget = verdict.usedBudget;
  }

  outcomeOf(rule: Rule): RuleOutcome | undefined {
    this.places ??= placesOf(this.verdict.ruleIds);
    const index = this.places.get(rule.meta.id) ?? -1;
    const findings = index < 0 ? null : this.verdict.findings[index];
    if (findings === null || findings === undefined) return undefined;
    return findings.length === 0 ? NOTHING_FOUND : { findings, ruleErrors: [], coverage: [] };
  }
}

/**
 * Each id's first place, as `indexOf` finds it; kept per list of ids, which every verdict of one
 * kind shares (`indexOf` per rule replayed was a scan of the list per rule and object).
 */
function placesOf(ids: readonly string[]): ReadonlyMap<string, number> {
  let places = PLACES.get(ids);
  if (!places) {
    const made = new Map<string, number>();
    ids.forEach((id, i) => {
      if (!made.has(id)) made.set(id, i);
    });
    places = made;
    PLACES.set(ids, places);
  }
  return places;
}

const PLACES = new WeakMap<readonly string[], ReadonlyMap<string, number>>();
