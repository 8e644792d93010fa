import { lstat, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute, sep } from 'node:path';
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
    if (found[0] !== undefined) {
      await refuseLinkOutside(found[0], root ?? start);
      return found[0];
    }
  }
  return undefined;
}

/**
 * A found config is a file of the scanned tree, so its author may be a pull request's. A committed
 * symlink `.kfguard.yaml -> /proc/self/environ` (or a key file) would have kfguard read a file
 * outside the tree and quote it in its config error: the CI job's environment in its log. A link
 * is followed only when it ends inside `root` (a monorepo sharing one config); `--config` and
 * `KFGUARD_CONFIG` are the user's own choice and are not checked.
 */
async function refuseLinkOutside(file: string, root: string): Promise<void> {
  if (!(await lstat(file)).isSymbolicLink()) return;
  const [target, realRoot] = await Promise.all([realpath(file), realpath(root)]);
  const rel = relative(realRoot, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new ConfigError(`refusing ${file}: a symbolic link to a file outside ${root}`, 'a config found by discovery must be inside the repository; name another file with --config');
  }
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
