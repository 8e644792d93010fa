import { loadConfig } from '../config/load.js';
import type { KfguardConfig } from '../core/config-types.js';
import { ALL_RULES } from '../rules/index.js';
import type { CliIo } from './io.js';

/** Loads `--config FILE`, or `.kfguard.yaml` found by walking up from the working directory. */
export async function loadCliConfig(explicit: string | undefined, io: CliIo): Promise<KfguardConfig> {
  const loaded = await loadConfig({
    ...(explicit === undefined ? {} : { explicit }),
    cwd: io.cwd,
    knownRuleIds: ALL_RULES.map((rule) => rule.meta.id),
  });
  return loaded.config;
}
