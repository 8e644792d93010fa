import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const CONFIG_FILE_NAME = '.kfguard.yaml';

/** Walks up from `start` to the filesystem root and returns the first `.kfguard.yaml` found. */
export async function findConfigFile(start: string): Promise<string | undefined> {
  let directory = start;
  for (;;) {
    const candidate = join(directory, CONFIG_FILE_NAME);
    if (await isFile(candidate)) return candidate;
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
