import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.js';

export const CONFIG_FILE_NAME = '.kfguard.yaml';
/** Both spellings are accepted, as most YAML tools do; one directory may hold only one of them. */
export const CONFIG_FILE_NAMES = [CONFIG_FILE_NAME, '.kfguard.yml'] as const;

/**
 * Walks up from `start` and returns the first `.kfguard.yaml` or `.kfguard.yml` found, stopping at
 * the repository root (the directory holding `.git`, a directory or a worktree's file): a config
 * above the repository, in a shared /tmp or home directory, was not written by the repository's
 * owners and must not switch its rules off. Outside any repository the walk reaches the filesystem root.
 */
export async function findConfigFile(start: string): Promise<string | undefined> {
  let directory = start;
  for (;;) {
    const found: string[] = [];
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(directory, name);
      if (await isFile(candidate)) found.push(candidate);
    }
    if (found.length > 1) throw new ConfigError(`both ${CONFIG_FILE_NAMES.join(' and ')} in ${directory}`, 'keep one of them, or name the file with --config');
    if (found[0] !== undefined) return found[0];
    if (await exists(join(directory, '.git'))) return undefined;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
