/**
 * Scans one generated text in this process, as the CLI does (all rules, findings located), and
 * returns the wall time and how many findings came back. The text goes through a temporary file
 * so that JSON is read as a `.json` file is. Used by the hostile-growth bench and test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_RULES } from '../src/rules/index.js';
import { scanManifests } from '../src/scan.js';

export async function scanText(text: string): Promise<{ seconds: number; findings: number; errors: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-hostile-'));
  try {
    const file = join(dir, text.startsWith('{') ? 'input.json' : 'input.yaml');
    writeFileSync(file, text);
    const started = process.hrtime.bigint();
    const report = await scanManifests({ paths: [file], cwd: dir, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES, today: '2026-01-01' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { seconds, findings: report.findings.length, errors: report.errors.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
