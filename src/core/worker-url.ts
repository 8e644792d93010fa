/**
 * Where a worker entry is, seen from the module that starts it. From the sources it sits beside
 * that module (`name.ts`). In the bundle every entry is at the top of dist/, while the module that
 * starts it may have been split into dist/chunks/ (code shared by the CLI's lazily loaded commands
 * lands there), so a path relative to the chunk would name a file that does not exist.
 */
export function workerEntryUrl(name: string, from: string): URL {
  if (from.endsWith('.ts')) return new URL(`./${name}.ts`, from);
  return new URL(from.includes('/chunks/') ? `../${name}.js` : `./${name}.js`, from);
}
