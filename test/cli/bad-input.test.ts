import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXPOSED_GATEWAY, runCli, tempDir } from '../helpers/cli.js';
import { cpuMs } from '../helpers/cpu-time.js';

interface JsonReport {
  findings: { ruleId: string; location?: { file: string } }[];
  errors: { file: string; line?: number; column?: number; message: string }[];
  inputs: { files: number; documents: number; skipped: number };
}

async function scanJson(cwd: string, args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await runCli(['scan', ...args, '--format', 'json'], { cwd });
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

describe('bad input gives a one-line error and keeps other results', () => {
  const dir = tempDir();
  before(() => writeFileSync(join(dir.path, 'good.yaml'), EXPOSED_GATEWAY));
  after(() => dir.cleanup());

  const expectError = (report: JsonReport, file: string, pattern: RegExp): JsonReport['errors'][number] => {
    const error = report.errors.find((e) => e.file.endsWith(file));
    assert.ok(error, `no error for ${file}: ${JSON.stringify(report.errors)}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'error must be one line');
    return error;
  };
  const expectGoodFileStillScanned = (report: JsonReport): void => {
    assert.ok(report.findings.some((f) => f.location?.file === 'good.yaml'), 'findings of good.yaml were lost');
  };

  test('YAML alias bomb', async () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    let prev = 'a';
    for (const n of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
      lines.push(`  ${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
      prev = n;
    }
    writeFileSync(join(dir.path, 'bomb.yaml'), `${lines.join('\n')}\n`);
    const { code, report } = await scanJson(dir.path, ['good.yaml', 'bomb.yaml']);
    assert.equal(code, 2);
    const error = expectError(report, 'bomb.yaml', /alias bomb/);
    assert.equal(error.line, 1);
    expectGoodFileStillScanned(report);
  });

  test('50 MB single document', async () => {
    const path = join(dir.path, 'huge.yaml');
    writeFileSync(path, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  blob: "${'A'.repeat(50 * 1024 * 1024)}"\n`);
    // CPU time: the scan runs in this process (runCli), and the wall clock of a loaded machine is luck.
    const { value: { code, report }, ms } = await cpuMs(() => scanJson(dir.path, ['good.yaml', 'huge.yaml']));
    assert.equal(code, 2);
    expectError(report, 'huge.yaml', /50\.0 MB, over the 16\.0 MB limit/);
    expectGoodFileStillScanned(report);
    assert.ok(ms < 20_000, `too slow: ${ms} ms of CPU`);
  });

  test('binary file', async () => {
    writeFileSync(join(dir.path, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const { code, report } = await scanJson(dir.path, ['good.yaml', 'image.yaml']);
    assert.equal(code, 2);
    expectError(report, 'image.yaml', /binary file/);
    expectGoodFileStillScanned(report);
  });

  test('invalid UTF-8 names the line and column', async () => {
    writeFileSync(join(dir.path, 'latin1.yaml'), Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf'), Buffer.from([0xe9]), Buffer.from('}\n')]));
    const { code, report } = await scanJson(dir.path, ['good.yaml', 'latin1.yaml']);
    assert.equal(code, 2);
    const error = expectError(report, 'latin1.yaml', /invalid UTF-8/);
    assert.equal(error.line, 3);
    assert.equal(error.column, 21);
    expectGoodFileStillScanned(report);
  });

  // UTF-16 with a byte-order mark is read as kubectl reads it (test/sources/exact-differentials.test.ts); NULs in it are binary.
  test('UTF-16 text holding NULs, and a file name with a newline, give one-line errors', async () => {
    writeFileSync(join(dir.path, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('apiVersion: v1\n\0', 'utf16le')]));
    writeFileSync(join(dir.path, 'bad\nname.yaml'), 'a: [\n');
    const { code, report } = await scanJson(dir.path, ['good.yaml', 'utf16.yaml', 'bad\nname.yaml']);
    assert.equal(code, 2);
    expectError(report, 'utf16.yaml', /NUL character in UTF-16 text/);
    // The JSON report names the real file (JSON escapes the newline); stderr shows it escaped (test/report/hostile-file-names.test.ts).
    expectError(report, 'bad\nname.yaml', /flow collection/);
    expectGoodFileStillScanned(report);
  });

  test('symlink loop in a scanned directory', async () => {
    const tree = join(dir.path, 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    writeFileSync(join(tree, 'sub', 'gw.yaml'), EXPOSED_GATEWAY);
    symlinkSync('..', join(tree, 'sub', 'back-to-tree'));
    const { code, report } = await scanJson(dir.path, ['tree']);
    assert.equal(code, 2);
    expectError(report, 'back-to-tree', /symlink loop/);
    assert.ok(report.findings.some((f) => f.location?.file === join('tree', 'sub', 'gw.yaml')));
  });

  test('unreadable file: a self-referencing symlink and a dangling one', async () => {
    symlinkSync('self.yaml', join(dir.path, 'self.yaml'));
    symlinkSync('missing-target.yaml', join(dir.path, 'dangling.yaml'));
    const { code, report } = await scanJson(dir.path, ['good.yaml', 'self.yaml', 'dangling.yaml']);
    assert.equal(code, 2);
    expectError(report, 'self.yaml', /symlink loop|too many levels/);
    expectError(report, 'dangling.yaml', /no such file/);
    expectGoodFileStillScanned(report);
  });

  test('unreadable file: permission denied (when not root)', { skip: process.getuid?.() === 0 ? 'running as root: permissions do not apply' : false }, async () => {
    const path = join(dir.path, 'secret.yaml');
    writeFileSync(path, EXPOSED_GATEWAY);
    chmodSync(path, 0o000);
    const { code, report } = await scanJson(dir.path, ['good.yaml', 'secret.yaml']);
    assert.equal(code, 2);
    expectError(report, 'secret.yaml', /permission denied/);
  });

  test('a FIFO is refused without blocking', async () => {
    const fifo = join(dir.path, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const { code, report } = await scanJson(dir.path, ['good.yaml', 'pipe.yaml']);
    assert.equal(code, 2);
    expectError(report, 'pipe.yaml', /not a regular file/);
  });

  test('broken YAML names file, line and column; other documents in the same file still scanned', async () => {
    writeFileSync(join(dir.path, 'mixed.yaml'), `kind: [\n---\n${EXPOSED_GATEWAY}`);
    const { code, report } = await scanJson(dir.path, ['mixed.yaml']);
    assert.equal(code, 2);
    const error = expectError(report, 'mixed.yaml', /.+/);
    assert.equal(typeof error.line, 'number');
    assert.ok(report.findings.some((f) => f.location?.file === 'mixed.yaml'));
  });

  test('invalid JSON names line and column', async () => {
    writeFileSync(join(dir.path, 'bad.json'), '{\n  "apiVersion": "v1",\n  "kind": "Pod"\n  "metadata": {}\n}\n');
    const { code, report } = await scanJson(dir.path, ['bad.json']);
    assert.equal(code, 2);
    const error = expectError(report, 'bad.json', /comma/);
    assert.equal(error.line, 4);
  });

  test('a missing path is an input error, not a crash', async () => {
    const { code, report } = await scanJson(dir.path, ['good.yaml', 'nope/']);
    assert.equal(code, 2);
    expectError(report, 'nope', /no such file/);
  });
  test('a syntax error inside a CRD schema is reported only with --parse-crd-schemas', async () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: widgets.example.com}',
      'spec:',
      '  group: example.com',
      '  names: {kind: Widget, plural: widgets}',
      '  scope: Namespaced',
      '  versions:',
      '  - name: v1',
      '    served: true',
      '    storage: true',
      '    schema:',
      '      openAPIV3Schema:',
      '        type: object',
      '        properties:',
      '          size:',
      '            type: string',
      // A mapping value where none may start: an error for every reader (a duplicate key would not be, as Kubernetes accepts those).
      '            format: int: 32',
      '',
    ].join('\n');
    writeFileSync(join(dir.path, 'crd.yaml'), crd);
    const lenient = await scanJson(dir.path, ['good.yaml', 'crd.yaml']);
    assert.deepEqual(lenient.report.errors, []);
    assert.equal(lenient.report.inputs.documents, 2);
    const strict = await scanJson(dir.path, ['good.yaml', 'crd.yaml', '--parse-crd-schemas']);
    assert.equal(strict.code, 2);
    const error = expectError(strict.report, 'crd.yaml', /mapping/);
    assert.equal(error.line, 18);
    expectGoodFileStillScanned(strict.report);
  });
});
