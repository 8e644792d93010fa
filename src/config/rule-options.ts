import { z } from 'zod';
import type { RuleSettings } from '../core/config-types.js';
import { formatPath } from '../core/path.js';
import type { RuleOptionsSchema } from '../core/rule-options.js';
import { describeIssues } from '../core/schema-issues.js';

/**
 * Checks each `rules.<id>.options` against that rule's own schema and returns the rules with the
 * parsed options, or the problems found (key paths from the top of the file).
 */
export function validateRuleOptions(
  rules: Readonly<Record<string, RuleSettings>>,
  schemas: Readonly<Record<string, RuleOptionsSchema>>,
): { rules: Record<string, RuleSettings>; problems: string[] } {
  const validated: Record<string, RuleSettings> = {};
  const problems: string[] = [];
  for (const [id, settings] of Object.entries(rules)) {
    if (settings.options === undefined) {
      validated[id] = settings;
      continue;
    }
    const build = schemas[id];
    if (!build) {
      problems.push(`${formatPath(['rules', id, 'options'])}: this rule takes no options`);
      continue;
    }
    const schema = build(z);
    const parsed = schema.safeParse(settings.options);
    if (parsed.success) validated[id] = { ...settings, options: parsed.data };
    else problems.push(...describeIssues(parsed.error.issues, settings.options, schema, ['rules', id, 'options']));
  }
  return { rules: validated, problems };
}

