import { isAbsolute, relative } from 'node:path';
import { configNote } from '../config/config-notes.js';
import { loadConfig } from '../config/load.js';
import type { KfguardConfig } from '../core/config-types.js';
import { optionSchemasOf } from '../core/rule-options.js';
import { AUDIT_DETECTIONS } from '../audit/detections/index.js';
import { RECON_CALLBACK_META } from '../hunt/recon-callback.js';
import { ALL_RULES } from '../rules/index.js';
import type { CliIo } from './io.js';

/**
 * One config serves every command (scan, webhook, export, audit, hunt), so every command validates
 * it against the same ids and option schemas: the audit detections and hunt's own finding are rule
 * ids too. A file that one command accepts is never refused by another.
 */
export const CONFIG_VOCABULARY = {
  knownRuleIds: [...ALL_RULES.map((rule) => rule.meta.id), ...AUDIT_DETECTIONS.map((d) => d.meta.id), RECON_CALLBACK_META.id],
  optionSchemas: optionSchemasOf([...ALL_RULES, ...AUDIT_DETECTIONS]),
  ruleCategories: Object.fromEntries([...ALL_RULES, ...AUDIT_DETECTIONS].map((rule) => [rule.meta.id, rule.meta.category])),
} as const;

/**
 * Loads `--config FILE`, else the file `KFGUARD_CONFIG` names (when set and non-empty), else
 * `.kfguard.yaml` or `.kfguard.yml` found by walking up from the working directory to the
 * repository root (outside a repository, in the working directory only; config/discover.ts).
 * `note` names the file and what it switches off or down, for the report.
 */
export async function loadCliConfigWithNote(flag: string | undefined, io: CliIo): Promise<{ config: KfguardConfig; note?: string }> {
  const fromEnv = io.env.KFGUARD_CONFIG;
  const explicit = flag ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
  const loaded = await loadConfig({
    ...(explicit === undefined ? {} : { explicit, explicitFrom: flag === undefined ? 'KFGUARD_CONFIG' : '--config' }),
    cwd: io.cwd,
    ...CONFIG_VOCABULARY,
  });
  for (const warning of loaded.warnings) io.stderr(`kfguard: warning: ${warning}\n`);
  if (loaded.file === undefined) return { config: loaded.config };
  const rel = relative(io.cwd, loaded.file);
  const display = rel === '' || isAbsolute(rel) ? loaded.file : rel;
  return { config: loaded.config, note: configNote(display, loaded.config, ALL_RULES.map((rule) => rule.meta)) };
}

export async function loadCliConfig(explicit: string | undefined, io: CliIo): Promise<KfguardConfig> {
  return (await loadCliConfigWithNote(explicit, io)).config;
}
