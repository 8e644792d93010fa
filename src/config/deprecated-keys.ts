import type { RuleSettings } from '../core/config-types.js';
import { isRecord } from '../core/object.js';
import type { ConfigFile } from './schema.js';

/**
 * Top-level keys from before rules had options. They still work, mapped onto the options of the
 * rule that reads them (appended to any given there), with a warning so configs get migrated.
 */
const ALIASES = [
  { key: 'indicators', rule: 'crypto-miner-workload', options: (file: ConfigFile) => file.indicators, replacement: 'rules.crypto-miner-workload.options (same keys)' },
  {
    key: 'registries',
    rule: 'image-registry-not-allowed',
    options: (file: ConfigFile) => (file.registries?.allowed === undefined ? undefined : { allowed: file.registries.allowed }),
    replacement: 'rules.image-registry-not-allowed.options.allowed',
  },
] as const;

export function applyDeprecatedKeys(file: ConfigFile, displayName: string): { rules: Record<string, RuleSettings>; warnings: string[] } {
  const rules: Record<string, RuleSettings> = { ...file.rules };
  const warnings: string[] = [];
  for (const alias of ALIASES) {
    if (file[alias.key] === undefined) continue;
    warnings.push(`${displayName}: "${alias.key}" is deprecated; use ${alias.replacement}`);
    const added = alias.options(file);
    if (added === undefined) continue;
    const settings = rules[alias.rule] ?? {};
    rules[alias.rule] = { ...settings, options: appendLists(settings.options, added) };
  }
  return { rules, warnings };
}

/** Adds each list of `added` to the same list in `options`; anything malformed is left for validation to report. */
function appendLists(options: unknown, added: Readonly<Record<string, readonly string[] | undefined>>): unknown {
  if (options === undefined) return { ...added };
  if (!isRecord(options)) return options;
  const merged: Record<string, unknown> = { ...options };
  for (const [key, values] of Object.entries(added)) {
    if (values === undefined) continue;
    const existing = merged[key];
    merged[key] = existing === undefined ? values : Array.isArray(existing) ? [...(existing as unknown[]), ...values] : existing;
  }
  return merged;
}
