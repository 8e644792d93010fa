import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node 20's `mkdir(path, { recursive: true })` never returns for
 * some paths: under `/proc` the kernel answers ENOENT for a directory it will not create, and Node
 * retries the parent forever (`-o /proc/x/report.json` hung kfguard). Here each missing level is
 * created once, and the first refusal is the error, naming the directory and keeping its code.
 */
export async function makeDirectories(path: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`cannot create ${path}: ${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const directory of missing.reverse()) {
    await mkdir(directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return;
      // The code stays, so callers word the cause as for any failed write.
      throw Object.assign(new Error(`cannot create directory ${directory}: ${error.code ?? error.message}`), { code: error.code });
    });
  }
}
