import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.js';

export const CONFIG_FILE_NAME = '.kfguard.yaml';
/** Both spellings are accepted, as most YAML tools do; one directory may hold only one of them. */
export const CONFIG_FILE_NAMES = [CONFIG_FILE_NAME, '.kfguard.yml'] as const;

/**
 * The `.kfguard.yaml` or `.kfguard.yml` that applies in `start`: the first found walking up from
 * `start` to the repository root (the nearest directory holding `.git`, a directory or a
 * worktree's file), or, outside any repository, in `start` alone. A config above the repository
 * or above the working directory (a shared /tmp or home directory) was not written by whoever
 * owns what is scanned and must not switch its rules off, so the walk never climbs to `/`.
 */
export async function findConfigFile(start: string): Promise<string | undefined> {
  const root = await repositoryRootOf(start);
  for (const directory of root === undefined ? [start] : directoriesUpTo(start, root)) {
    const found: string[] = [];
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(directory, name);
      if (await isFile(candidate)) found.push(candidate);
    }
    if (found.length > 1) throw new ConfigError(`both ${CONFIG_FILE_NAMES.join(' and ')} in ${directory}`, 'keep one of them, or name the file with --config');
    if (found[0] !== undefined) return found[0];
  }
  return undefined;
}

/** The nearest directory at or above `start` that holds `.git`; only `.git` is looked at on the way. */
async function repositoryRootOf(start: string): Promise<string | undefined> {
  let directory = start;
  for (;;) {
    if (await exists(join(directory, '.git'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/** `start`, its parent, ... `root`, which is `start` or one of its ancestors. */
function directoriesUpTo(start: string, root: string): string[] {
  const directories = [start];
  for (let directory = start; directory !== root && dirname(directory) !== directory; ) {
    directory = dirname(directory);
    directories.push(directory);
  }
  return directories;
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
