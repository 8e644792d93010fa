import type { z } from 'zod';
import type { KfguardConfig } from './config-types.js';

/**
 * Builds the zod schema of a rule's `rules.<id>.options`. A function of zod, not a schema, so rule
 * modules never load zod themselves: it is imported only when a config file is validated.
 */
export type RuleOptionsSchema = (zod: typeof z) => z.ZodType;

/** A rule's options as validated from the config, or undefined when none were given. */
export function ruleOptionsOf<T>(config: KfguardConfig, ruleId: string): T | undefined {
  return config.rules[ruleId]?.options as T | undefined;
}

/** The schema of a list users append to: non-empty strings. */
export function appendedList(zod: typeof z): z.ZodOptional<z.ZodArray<z.ZodString>> {
  return zod.array(zod.string().trim().min(1, { message: 'expected a non-empty string' })).optional();
}

/** The options schema of every rule that has one, keyed by rule id. */
export function optionSchemasOf(rules: readonly { readonly meta: { readonly id: string; readonly options?: RuleOptionsSchema } }[]): Record<string, RuleOptionsSchema> {
  return Object.fromEntries(rules.flatMap((rule) => (rule.meta.options ? [[rule.meta.id, rule.meta.options]] : [])));
}
