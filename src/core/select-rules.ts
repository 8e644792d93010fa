import { UsageError } from './errors.js';
import { nearestWords } from './nearest.js';
import type { Rule } from './rule.js';
import { CATEGORIES, type Category } from './types.js';

export interface RuleSelection {
  readonly only: readonly string[];
  readonly skip: readonly string[];
  readonly categories: readonly string[];
}

/** Applies `--rule`, `--skip-rule` and `--category`; unknown ids and categories are usage errors. */
export function selectRules(all: readonly Rule[], selection: RuleSelection): Rule[] {
  const known = new Set(all.map((r) => r.meta.id));
  for (const id of [...selection.only, ...selection.skip]) {
    if (!known.has(id)) throw unknownRule(id, [...known]);
  }
  for (const category of selection.categories) {
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      const near = nearestWords(category, CATEGORIES);
      throw new UsageError(`unknown category "${category}"`, `${near.length > 0 ? `did you mean ${near.join(' or ')}? ` : ''}valid categories: ${CATEGORIES.join(', ')}`);
    }
  }
  return all.filter(
    (rule) =>
      (selection.only.length === 0 || selection.only.includes(rule.meta.id)) &&
      !selection.skip.includes(rule.meta.id) &&
      (selection.categories.length === 0 || selection.categories.includes(rule.meta.category as Category)),
  );
}

/** A usage error for a rule id that does not exist, with the closest ids as a "did you mean". */
export function unknownRule(id: string, knownIds: readonly string[]): UsageError {
  const near = nearestWords(id, knownIds);
  return new UsageError(`unknown rule "${id}"`, near.length > 0 ? `did you mean ${near.join(' or ')}? (\`kfguard rules\` lists them)` : 'run `kfguard rules` to list rule ids');
}
