import { parseAllDocuments } from 'yaml';
import type { KfguardConfig, RuleSettings } from '../core/config-types.js';
import type { RuleOptionsSchema } from '../core/rule-options.js';
import { applyDeprecatedKeys } from './deprecated-keys.js';
import { ConfigError } from '../core/errors.js';
import { formatPath } from '../core/path.js';
import { describeIssues } from '../core/schema-issues.js';
import { nearestWords } from '../core/nearest.js';
import { validateRuleOptions } from './rule-options.js';
import { configFileSchema, type ConfigFile } from './schema.js';
import { NEVER_SELF_EXEMPT_CATEGORIES, NEVER_SELF_EXEMPT_RULES } from '../suppress/untrusted-annotations.js';

/** Matches every rule in a config suppression. */
export const ANY_RULE = '*';

const RULES_HINT = 'run `kfguard rules` to list rule ids';

export interface ParsedConfig {
  readonly config: KfguardConfig;
  /** One line each, naming the file: deprecated keys still honoured. */
  readonly warnings: readonly string[];
}

/**
 * Parses and validates the text of a `.kfguard.yaml`. `displayName` prefixes every error so the
 * user sees which file is wrong; `knownRuleIds` catches typos that would otherwise silently do
 * nothing; `optionSchemas` check each rule's `options`.
 */
export function parseConfigFile(
  text: string,
  displayName: string,
  knownRuleIds: readonly string[],
  optionSchemas: Readonly<Record<string, RuleOptionsSchema>> = {},
  /** Each rule's category, by rule id: `liveInlineIgnores.rules` may not name a threat or exposure rule. */
  ruleCategories: Readonly<Record<string, string>> = {},
): ParsedConfig {
  const raw = parseYaml(text, displayName);
  if (raw === null || raw === undefined) return { config: toConfig({}, {}), warnings: [] };
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues, raw, configFileSchema);
    throw configError(displayName, problems, 'see docs/configuration.md for every key');
  }
  const unknown = unknownRuleIds(parsed.data, knownRuleIds);
  if (unknown.length > 0) throw configError(displayName, unknown, RULES_HINT);
  const untrusted = liveInlineIgnoreProblems(parsed.data, ruleCategories);
  if (untrusted.length > 0) throw configError(displayName, untrusted, 'threat and exposure findings, and the rules an intruder would hide, are exempted on live objects only by `suppressions` or a baseline');
  const { rules, warnings } = applyDeprecatedKeys(parsed.data, displayName);
  const options = validateRuleOptions(rules, optionSchemas);
  if (options.problems.length > 0) throw configError(displayName, options.problems, 'see docs/configuration.md for each rule\'s options');
  return { config: toConfig(parsed.data, options.rules), warnings };
}

/** `parseConfigFile` for callers that need only the config. */
export function parseConfig(
  text: string,
  displayName: string,
  knownRuleIds: readonly string[],
  optionSchemas: Readonly<Record<string, RuleOptionsSchema>> = {},
  ruleCategories: Readonly<Record<string, string>> = {},
): KfguardConfig {
  return parseConfigFile(text, displayName, knownRuleIds, optionSchemas, ruleCategories).config;
}

function parseYaml(text: string, displayName: string): unknown {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return undefined;
  if (documents.length > 1) throw new ConfigError(`${displayName}: expected one YAML document, found ${documents.length}`);
  const document = documents[0];
  if (!document) return undefined;
  const error = document.errors[0];
  if (error) {
    const position = error.linePos?.[0];
    const where = position ? `${displayName}:${position.line}:${position.col}` : displayName;
    const firstLine = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${where}: invalid YAML: ${firstLine}`);
  }
  return document.toJS() as unknown;
}

function unknownRuleIds(file: ConfigFile, knownRuleIds: readonly string[]): string[] {
  const known = new Set(knownRuleIds);
  const problems: string[] = [];
  const complain = (path: string, id: string): void => {
    const nearest = nearestWords(id, knownRuleIds);
    const suggestion = nearest.length > 0 ? ` (did you mean ${nearest.join(', ')}?)` : '';
    problems.push(`${path}: unknown rule id "${id}"${suggestion}`);
  };
  for (const id of Object.keys(file.rules ?? {})) {
    if (!known.has(id)) complain(formatPath(['rules', id]), id);
  }
  (file.liveInlineIgnores?.rules ?? []).forEach((id, index) => {
    if (!known.has(id)) complain(formatPath(['liveInlineIgnores', 'rules', index]), id);
  });
  (file.suppressions ?? []).forEach((suppression, index) => {
    if (suppression.rule !== ANY_RULE && !known.has(suppression.rule)) {
      complain(formatPath(['suppressions', index, 'rule']), suppression.rule);
    }
  });
  return problems;
}

/**
 * `liveInlineIgnores` naming what an object's creator may never exempt: the threat and exposure
 * categories, their rules, and the rules reporting what an intruder leaves to keep access. Refused
 * loudly rather than dropped, so the operator does not believe them exempted.
 */
function liveInlineIgnoreProblems(file: ConfigFile, ruleCategories: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  (file.liveInlineIgnores?.categories ?? []).forEach((category, index) => {
    if (NEVER_SELF_EXEMPT_CATEGORIES.has(category)) problems.push(`${formatPath(['liveInlineIgnores', 'categories', index])}: "${category}" findings are never exempted by an object's own annotations`);
  });
  (file.liveInlineIgnores?.rules ?? []).forEach((id, index) => {
    const category = ruleCategories[id];
    if (NEVER_SELF_EXEMPT_RULES.has(id)) problems.push(`${formatPath(['liveInlineIgnores', 'rules', index])}: "${id}" reports what an intruder would hide and is never exempted by an object's own annotations`);
    else if (category !== undefined && NEVER_SELF_EXEMPT_CATEGORIES.has(category)) problems.push(`${formatPath(['liveInlineIgnores', 'rules', index])}: "${id}" is a ${category} rule, never exempted by an object's own annotations`);
  });
  return problems;
}

function configError(displayName: string, problems: readonly string[], hint: string): ConfigError {
  return new ConfigError(problems.map((p) => `${displayName}: ${p}`).join('\n  '), hint);
}

function toConfig(file: ConfigFile, rules: Readonly<Record<string, RuleSettings>>): KfguardConfig {
  return {
    rules: { ...rules },
    suppressions: (file.suppressions ?? []).map((s) => ({ ...s })),
    lists: { ...file.lists },
    ...(file.ignoreHorizonDays !== undefined ? { ignoreHorizonDays: file.ignoreHorizonDays } : {}),
    ...(file.liveInlineIgnores
      ? { liveInlineIgnores: { categories: [...(file.liveInlineIgnores.categories ?? [])], rules: [...(file.liveInlineIgnores.rules ?? [])], reason: file.liveInlineIgnores.reason } }
      : {}),
  };
}
