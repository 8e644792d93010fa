import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { makeDirectories } from './make-directories.js';

/**
 * Writes `content` to `path` only if it lies strictly inside `root` and no component below `root`
 * is a symbolic link: manifests come from repositories whose authors may commit a symlink named like
 * a manifest, an overlay directory or a folder under `--out`, to send kfguard's write elsewhere.
 * Missing directories are created one level at a time; the file itself is opened with O_NOFOLLOW
 * (and O_NONBLOCK, so a FIFO planted in its place cannot hang the run). `root` itself is the place
 * the user named and is trusted as given.
 */
export async function writeInside(root: string, path: string, content: string): Promise<void> {
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new Error(`refusing to write ${path}: it is outside ${root}`);
  }
  // The root was named by the user (`--out DIR`) and may not exist yet.
  await makeDirectories(root);
  const parts = rel.split(sep);
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    const info = await lstatOrUndefined(current);
    const last = current === join(root, rel);
    if (info?.isSymbolicLink()) throw new Error(`refusing to write through the symbolic link ${current}`);
    if (last) {
      if (info && !info.isFile()) throw new Error(`refusing to write ${current}: it is not a regular file`);
    } else if (!info) {
      await mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      const made = await lstat(current);
      if (!made.isDirectory()) throw new Error(`refusing to write under ${current}: it is not a directory`);
    } else if (!info.isDirectory()) {
      throw new Error(`refusing to write under ${current}: it is not a directory`);
    }
  }
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  let handle;
  try {
    handle = await open(path, flags, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`refusing to write through the symbolic link ${path}`);
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`refusing to write ${path}: it is not a regular file`);
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/**
 * The first existing component of `path` strictly below `base` that is a symbolic link. `--out DIR`
 * inside the working directory is a path of the scanned tree, which a pull request may have
 * committed as a link (`fixed -> ~/.config`); components at or above `base` are the user's own
 * (macOS's /tmp is a link).
 */
export async function linkBelow(base: string, path: string): Promise<string | undefined> {
  const rel = relative(base, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  let current = base;
  for (const part of rel.split(sep)) {
    current = join(current, part);
    const info = await lstatOrUndefined(current);
    if (!info) return undefined;
    if (info.isSymbolicLink()) return current;
  }
  return undefined;
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
