import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { KfguardConfig } from '../core/config-types.js';
import { DEFAULT_CONFIG } from '../core/config-types.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { RuleOptionsSchema } from '../core/rule-options.js';
import { findConfigFile } from './discover.js';

export interface ConfigRequest {
  /** `--config FILE`, relative to `cwd`; when absent the file is discovered. */
  readonly explicit?: string;
  /** What named `explicit`, for the hint when it does not exist: the flag (default) or the environment variable. */
  readonly explicitFrom?: '--config' | 'KFGUARD_CONFIG';
  readonly cwd: string;
  readonly knownRuleIds: readonly string[];
  /** Each rule's options schema, by rule id (see `optionSchemasOf` in core/rule-options). */
  readonly optionSchemas?: Readonly<Record<string, RuleOptionsSchema>>;
  /** Each rule's category, by rule id (for `liveInlineIgnores`). */
  readonly ruleCategories?: Readonly<Record<string, string>>;
}

export interface LoadedConfig {
  readonly config: KfguardConfig;
  /** Absolute path of the file read, or undefined when none was found. */
  readonly file?: string;
  /** Deprecated keys still honoured, one line each naming the file. */
  readonly warnings: readonly string[];
}

/** An explicit file must exist; a discovered one is optional and defaults apply without it. */
export async function loadConfig(request: ConfigRequest): Promise<LoadedConfig> {
  const file = request.explicit === undefined ? await findConfigFile(request.cwd) : resolve(request.cwd, request.explicit);
  if (file === undefined) return { config: DEFAULT_CONFIG, warnings: [] };
  const displayName = displayPath(file, request.cwd);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      missing ? `${displayName}: config file not found` : `${displayName}: cannot read config file: ${errorMessage(error)}`,
      missing ? (request.explicitFrom === 'KFGUARD_CONFIG' ? 'check KFGUARD_CONFIG: it names this file, relative to the working directory' : 'check the --config path') : undefined,
    );
  }
  // zod is loaded only when there is a file to validate, keeping plain scans' start-up fast.
  const { parseConfigFile } = await import('./parse.js');
  const { config, warnings } = parseConfigFile(text, displayName, request.knownRuleIds, request.optionSchemas, request.ruleCategories);
  return { config, file, warnings };
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || isAbsolute(rel) ? file : rel;
}
