import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let packageRoot: string | undefined;

/**
 * A folder under the shipped `data/`. Found by walking up to the package root, so it works from
 * `src/` under tsx and from the bundle in `dist/`.
 */
export function packageDataDir(folder: string): string {
  packageRoot ??= findPackageRoot();
  return join(packageRoot, 'data', folder);
}

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'kfguard') return dir;
    } catch {
      // not the package root yet
    }
    dir = dirname(dir);
  }
  throw new Error('kfguard: cannot find the shipped data/ folder (package root not found)');
}
