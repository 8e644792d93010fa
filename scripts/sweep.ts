/**
 * Real-world precision sweep: scans the newest snapshot of public repositories with the built CLI
 * and counts threat findings per severity. Not part of `npm test` (it needs mirrors and minutes).
 *
 *   npm run build
 *   node --import tsx scripts/sweep.ts [--out sweep.json] GIT_DIR...
 *
 * Each GIT_DIR is a bare git directory (a mirror); the manifest-like files of its HEAD tree are
 * written blob by blob into a temporary directory outside the repository, scanned offline (`--offline`: remote
 * kustomize bases are refused, never fetched) and removed. Nothing from the mirrors is kept.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const SCAN_TIMEOUT_MS = 20 * 60 * 1000;
/** The CLI to run; `KFGUARD_SWEEP_CLI` points at another build (a copy made before a change, to compare). */
const CLI = process.env.KFGUARD_SWEEP_CLI ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'kfguard.js');

interface Finding {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly location?: { file?: string; line?: number };
  readonly evidence?: readonly string[];
}

interface RepoResult {
  readonly repo: string;
  readonly commit: string;
  readonly documents: number;
  readonly files: number;
  readonly bySeverity: Record<string, number>;
  /** Files the snapshot lists but does not hold (the mirror leaves out its largest blobs). */
  readonly missingFiles: number;
  readonly findings: readonly { severity: string; where: string; message: string; evidence: readonly string[] }[];
  readonly error?: string;
}

function repoName(gitDir: string): string {
  // /work/.mirror/owner+name/repo → owner/name
  const parent = basename(gitDir) === 'repo' ? basename(dirname(gitDir)) : basename(gitDir);
  return parent.replace('+', '/');
}

/** Manifest-like files of HEAD, and what kustomize and helm read beside them. */
const WANTED = /(?:\.ya?ml|\.json|\.tgz|\.tar\.gz|\.zip|\/Kustomization|\.tpl)$/i;

/**
 * Writes the manifest-like files of HEAD under `work`, blob by blob, skipping blobs the mirror does
 * not hold (a `git archive` of such a tree fails as a whole).
 */
function unpack(gitDir: string, work: string): { missing: number } {
  const listing = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', 'HEAD'], { maxBuffer: 256 * 1024 ** 2 }).toString('utf8');
  const entries = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t') as [string, string];
      const [mode, type, id] = meta.split(' ') as [string, string, string];
      return { mode, type, id, path };
    })
    .filter((e) => e.type === 'blob' && e.mode !== '120000' && WANTED.test(e.path));
  // One `git cat-file --batch` for all blobs: a process per file is slow on a loaded machine.
  const batch = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input: entries.map((e) => e.id).join('\n') + '\n', maxBuffer: 4 * 1024 ** 3 });
  if (batch.status !== 0) throw new Error(`git cat-file failed: ${String(batch.stderr).trim()}`);
  const out = batch.stdout;
  let missing = 0;
  let at = 0;
  for (const entry of entries) {
    const newline = out.indexOf(10, at);
    const header = out.toString('latin1', at, newline).split(' ');
    at = newline + 1;
    if (header[1] !== 'blob') {
      missing++;
      continue;
    }
    const size = Number(header[2]);
    const target = join(work, entry.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.subarray(at, at + size));
    at += size + 1;
  }
  return { missing };
}

function sweepOne(gitDir: string): RepoResult {
  const repo = repoName(gitDir);
  let commit: string;
  try {
    commit = execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    return { repo, commit: '?', documents: 0, files: 0, missingFiles: 0, bySeverity: {}, findings: [], error: `not a git directory: ${(error as Error).message.split('\n')[0]}` };
  }
  const work = mkdtempSync(join(tmpdir(), 'kfguard-sweep-'));
  try {
    const { missing } = unpack(gitDir, work);
    const scan = spawnSync(process.execPath, [CLI, 'scan', work, '--category', 'threat', '--format', 'json', '--fail-on', 'none', '--offline'], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 ** 2,
      timeout: SCAN_TIMEOUT_MS,
    });
    if (scan.status !== 0 && scan.status !== 2) throw new Error(`scan exited ${String(scan.status)}: ${scan.stderr.slice(0, 400)}`);
    const report = JSON.parse(scan.stdout) as { findings: Finding[]; inputs: { files: number; documents: number } };
    const bySeverity: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
    const findings = report.findings.map((f) => {
      bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
      const file = f.location?.file?.startsWith(work) ? f.location.file.slice(work.length + 1) : (f.location?.file ?? '?');
      return { severity: f.severity, where: `${file}:${f.location?.line ?? '?'}`, message: f.message, evidence: (f.evidence ?? []).slice(0, 4) };
    });
    return { repo, commit, documents: report.inputs.documents, files: report.inputs.files, missingFiles: missing, bySeverity, findings };
  } catch (error) {
    return { repo, commit, documents: 0, files: 0, missingFiles: 0, bySeverity: {}, findings: [], error: (error as Error).message };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(argv: readonly string[]): void {
  let out: string | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else dirs.push(argv[i] as string);
  }
  if (dirs.length === 0) {
    process.stderr.write('usage: node --import tsx scripts/sweep.ts [--out FILE] GIT_DIR...\n');
    process.exitCode = 2;
    return;
  }
  const results: RepoResult[] = [];
  for (const dir of dirs) {
    const result = sweepOne(dir);
    results.push(result);
    const counts = SEVERITIES.map((s) => `${s} ${result.bySeverity[s] ?? 0}`).join(', ');
    process.stdout.write(`${result.repo}@${result.commit.slice(0, 10)}: ${result.documents} documents in ${result.files} files (${result.missingFiles} absent from the mirror); ${result.error ?? counts}\n`);
    for (const f of result.findings) process.stdout.write(`  ${f.severity.toUpperCase()} ${f.where} ${f.message}\n    ${f.evidence.join('\n    ')}\n`);
  }
  if (out) writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
}

main(process.argv.slice(2));
