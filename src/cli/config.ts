import { loadConfig } from '../config/load.js';
import type { KfguardConfig } from '../core/config-types.js';
import { optionSchemasOf } from '../core/rule-options.js';
import { ALL_RULES } from '../rules/index.js';
import type { CliIo } from './io.js';

/**
 * Loads `--config FILE`, else the file `KFGUARD_CONFIG` names (when set and non-empty), else
 * `.kfguard.yaml` or `.kfguard.yml` found by walking up from the working directory.
 */
export async function loadCliConfig(flag: string | undefined, io: CliIo): Promise<KfguardConfig> {
  const fromEnv = io.env.KFGUARD_CONFIG;
  const explicit = flag ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
  const loaded = await loadConfig({
    ...(explicit === undefined ? {} : { explicit }),
    cwd: io.cwd,
    knownRuleIds: ALL_RULES.map((rule) => rule.meta.id),
    optionSchemas: optionSchemasOf(ALL_RULES),
  });
  for (const warning of loaded.warnings) {io.stderr(`kfguard: warning: ${warning}
`);}
  return loaded.config;
}
