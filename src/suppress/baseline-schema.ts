import { z } from 'zod';
import { describeIssues } from '../core/schema-issues.js';
import { ConfigError } from '../core/errors.js';
import { BASELINE_VERSION, type Baseline } from './baseline.js';

const baselineSchema = z.object({
  kfguardBaseline: z.literal(BASELINE_VERSION),
  createdAt: z.string(),
  findings: z.array(
    z.object({
      fingerprint: z.string().min(1),
      ruleId: z.string(),
      resource: z.string(),
    }),
  ),
});


/** Validates a baseline file; kept apart so zod loads only when a baseline is read. */
export function parseBaseline(text: string, displayName: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${displayName}: baseline is not valid JSON: ${(error as Error).message}`, 'write one with --write-baseline FILE');
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues, raw, baselineSchema);
    throw new ConfigError(problems.map((p) => `${displayName}: ${p}`).join('\n  '), 'write one with --write-baseline FILE');
  }
  return parsed.data;
}

