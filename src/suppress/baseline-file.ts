import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { BaselineFilter } from './baseline.js';

/** Reads `--baseline FILE` (relative to `cwd`); a missing or malformed file is an error, never an empty baseline. */
export async function readBaselineFile(path: string, cwd: string): Promise<BaselineFilter> {
  const file = resolve(cwd, path);
  const rel = relative(cwd, file);
  const label = rel === '' || isAbsolute(rel) ? file : rel;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      missing ? `${label}: baseline file not found` : `${label}: cannot read baseline: ${errorMessage(error)}`,
      missing ? 'create one with --write-baseline FILE' : undefined,
    );
  }
  const { parseBaseline } = await import('./baseline-schema.js');
  const baseline = parseBaseline(text, label);
  return { fingerprints: new Set(baseline.findings.map((f) => f.fingerprint)), label };
}
