/**
 * Issue 17, "Output that cannot be turned against its reader": GitLab SAST descriptions and the
 * Markdown comment keep manifest text as text, HTML survives odd types, and no format says
 * "passes" when an input was not read.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FORMATTERS } from '../../src/report/formats.js';
import { runCli, tempDir } from '../helpers/cli.js';

const BEACON = '![b](https://beacon.example.com/p.png)<img src=https://beacon.example.com/i.png>[click](https://evil.example.com)';

function privilegedPod(name: string, namespace: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${JSON.stringify(name)}
  namespace: ${namespace}
spec:
  containers:
  - name: main
    image: registry.example.com/app@sha256:${'b'.repeat(64)}
    securityContext: {privileged: true}
`;
}

describe('hostile output', () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  test('GitLab SAST names and descriptions carry no live Markdown or HTML from manifests', async () => {
    writeFileSync(join(dir.path, 'beacon.yaml'), privilegedPod(`pod ${BEACON}`, 'ml'));
    const run = await runCli(['scan', 'beacon.yaml', '--format', 'gitlab-sast', '--fail-on', 'none'], { cwd: dir.path });
    const report = JSON.parse(run.stdout) as { vulnerabilities: { name: string; description: string }[] };
    assert.ok(report.vulnerabilities.length > 0, 'the privileged pod gave no finding; the test would prove nothing');
    for (const { name, description } of report.vulnerabilities) {
      for (const text of [name, description]) {
        assert.ok(!/<img|!\[|\]\(/.test(text), text);
        assert.match(text, /beacon\.example\.com/, 'the text itself is kept, only made inert');
      }
    }
  });

  test('a lone CR cannot break out of a Markdown <details> block', async () => {
    writeFileSync(join(dir.path, 'cr.yaml'), privilegedPod('pod\r</details>\r# Owned\r', 'ml'));
    const run = await runCli(['scan', 'cr.yaml', '--format', 'markdown', '--fail-on', 'none'], { cwd: dir.path });
    assert.ok(run.stdout.includes('<details>'), run.stdout);
    assert.ok(!run.stdout.includes('\r'), 'a carriage return reached the comment');
    assert.equal(run.stdout.split('</details>').length, run.stdout.split('<details>').length);
    assert.doesNotMatch(run.stdout, /^# Owned/m);
  });

  test('odd types (a numeric namespace) crash no format, and every later format is still written', async () => {
    writeFileSync(join(dir.path, 'odd.yaml'), privilegedPod('odd', '7').replace('namespace: 7', 'namespace: 7\n  labels: {a: 1, b: true, c: null}\n  annotations: {n: 2}'));
    const formats = Object.keys(FORMATTERS);
    const run = await runCli(['scan', 'odd.yaml', ...formats.flatMap((f) => ['--format', `${f}=out.${f}`]), '--fail-on', 'none'], { cwd: dir.path });
    assert.ok(!/internal error|TypeError/.test(run.stderr), run.stderr);
    for (const format of formats) assert.ok(run.written.get(join(dir.path, `out.${format}`))?.length, `${format} was not written`);
  });

  describe('no format says "passes" when the only input was unreadable', () => {
    const sub = join(dir.path, 'unreadable');
    const setup = (): void => {
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n');
    };
    const checks: Record<string, (out: string) => void> = {
      text: (out) => assert.match(out, /incomplete/),
      json: (out) => assert.ok((JSON.parse(out) as { errors: unknown[] }).errors.length > 0),
      sarif: (out) => assert.equal((JSON.parse(out) as { runs: { invocations: { executionSuccessful: boolean }[] }[] }).runs[0]?.invocations[0]?.executionSuccessful, false),
      junit: (out) => assert.match(out, /<testsuite name="kfguard-input"[^>]* errors="1"/),
      markdown: (out) => {
        assert.doesNotMatch(out, /passes|✅/);
        assert.match(out, /incomplete/);
      },
      policyreport: (out) => assert.match(out, /result: error/),
      html: (out) => {
        assert.doesNotMatch(out, /class="verdict pass"/);
        assert.match(out, /incomplete/);
      },
      'gitlab-sast': (out) => assert.equal((JSON.parse(out) as { scan: { status: string } }).scan.status, 'failure'),
    };
    for (const format of Object.keys(FORMATTERS)) {
      test(format, async () => {
        setup();
        const run = await runCli(['scan', 'broken.yaml', '--format', format, '--fail-on', 'low'], { cwd: sub });
        assert.equal(run.code, 2, run.stderr);
        const check = checks[format];
        assert.ok(check, `no check for the new format ${format}: add one`);
        check(run.stdout);
      });
    }
  });
});
