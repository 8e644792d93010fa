import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const CONFIG_FILE_NAME = '.kfguard.yaml';

/**
 * Walks up from `start` and returns the first `.kfguard.yaml` found, stopping at the repository
 * root (the directory holding `.git`, a directory or a worktree's file): a config above the
 * repository, in a shared /tmp or home directory, was not written by the repository's owners and
 * must not switch its rules off. Outside any repository the walk reaches the filesystem root.
 */
export async function findConfigFile(start: string): Promise<string | undefined> {
  let directory = start;
  for (;;) {
    const candidate = join(directory, CONFIG_FILE_NAME);
    if (await isFile(candidate)) return candidate;
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
