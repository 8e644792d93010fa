import { z } from 'zod';
import { SEVERITIES } from '../core/severity.js';
import { isCalendarDate } from '../suppress/dates.js';

const calendarDate = z.string().refine(isCalendarDate, { message: 'expected a date YYYY-MM-DD' });
const nonEmptyText = (what: string) => z.string().trim().min(1, { message: `expected a non-empty ${what}` });
const stringList = z.array(z.string());

const ruleSettings = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES).optional(),
});

const suppression = z.strictObject({
  rule: nonEmptyText('rule id or "*"'),
  resource: nonEmptyText('resource glob namespace/kind/name'),
  reason: nonEmptyText('reason'),
  until: calendarDate.optional(),
});

/** `.kfguard.yaml` as written; every key is optional and unknown keys are errors. */
export const configFileSchema = z.strictObject({
  rules: z.record(z.string(), ruleSettings).optional(),
  suppressions: z.array(suppression).optional(),
  indicators: z
    .strictObject({
      minerBinaries: stringList.optional(),
      poolDomains: stringList.optional(),
      images: stringList.optional(),
      trustedImages: stringList.optional(),
    })
    .optional(),
  registries: z.strictObject({ allowed: stringList.optional() }).optional(),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
