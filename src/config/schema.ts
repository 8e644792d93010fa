import { z } from 'zod';
import { SEVERITIES } from '../core/severity.js';
import { CATEGORIES } from '../core/types.js';
import { isCalendarDate } from '../suppress/dates.js';
import { webhookSettingsSchema } from './webhook-schema.js';

const calendarDate = z.string().refine(isCalendarDate, { message: 'expected a date YYYY-MM-DD' });
const nonEmptyText = (what: string) => z.string().trim().min(1, { message: `expected a non-empty ${what}` });
const stringList = z.array(z.string());

const ruleSettings = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES).optional(),
  /** Checked afterwards against the rule's own schema (see rule-options.ts). */
  options: z.unknown().optional(),
});

/** Additions to shipped lists that several rules read; appending only, shipped entries always stay. */
const sharedLists = z.strictObject({
  'runtime-sockets': z.array(z.string().regex(/^\//, { message: 'expected an absolute host path' })).optional(),
  'internal-load-balancer-annotations': z
    .array(
      z.strictObject({
        key: nonEmptyText('annotation key'),
        values: z.array(nonEmptyText('annotation value')).min(1, { message: 'expected at least one value' }),
        cloud: nonEmptyText('cloud name').optional(),
      }),
    )
    .optional(),
});

const suppression = z.strictObject({
  rule: nonEmptyText('rule id or "*"'),
  resource: nonEmptyText('resource glob namespace/kind/name'),
  reason: nonEmptyText('reason'),
  until: calendarDate.optional(),
});

/**
 * Inline ignores honoured on objects whose creator wrote their annotations (live cluster, snapshot,
 * admission): at least one category or rule, and why the operator trusts those annotations. Which
 * categories and rules may never be named is checked in parse.ts, with the rule ids.
 */
const liveInlineIgnores = z
  .strictObject({
    categories: z.array(z.enum(CATEGORIES)).optional(),
    rules: z.array(nonEmptyText('rule id')).optional(),
    reason: nonEmptyText('reason'),
  })
  .refine((value) => (value.categories?.length ?? 0) + (value.rules?.length ?? 0) > 0, { message: 'expected at least one category or rule' });

/** `.kfguard.yaml` as written; every key is optional and unknown keys are errors. */
export const configFileSchema = z.strictObject({
  rules: z.record(z.string(), ruleSettings).optional(),
  suppressions: z.array(suppression).optional(),
  lists: sharedLists.optional(),
  /** The furthest an inline `kfguard.io/ignore-until` may reach, in days from the scan. */
  ignoreHorizonDays: z.number().int().min(1).max(3660).optional(),
  /** Opt-in: inline ignores honoured on live objects (GitOps-deployed, reviewed manifests). */
  liveInlineIgnores: liveInlineIgnores.optional(),
  /** Deprecated: `rules.crypto-miner-workload.options`. */
  indicators: z
    .strictObject({
      minerBinaries: stringList.optional(),
      poolDomains: stringList.optional(),
      images: stringList.optional(),
      trustedImages: stringList.optional(),
    })
    .optional(),
  /** Deprecated: `rules.image-registry-not-allowed.options.allowed`. */
  registries: z.strictObject({ allowed: stringList.optional() }).optional(),
  /** Settings of `kfguard webhook serve` (exemptions); validated here so a typo fails every command alike. */
  webhook: webhookSettingsSchema.optional(),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
