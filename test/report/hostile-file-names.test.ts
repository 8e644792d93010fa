/**
 * Issue 17: control characters in *file names* reach every format escaped by that format's own
 * structure (JSON string escapes, SARIF percent-encoding, `\uXXXX` in text), so a report names the
 * real file and no output holds a byte a terminal or viewer acts on, nor a line the file name started.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FORMATTERS } from '../../src/report/formats.js';
import { runCli, tempDir } from '../helpers/cli.js';

/** OSC 8 hyperlink, CR, other C0/C1 controls, DEL, a bidi override, the Unicode line separators and a newline. */
const FINDING_FILE = 'pod\x1b]8;;https:evil.example\x07click\x1b]8;;\x07\rfake\u202egpj\u2028x\u2029\x7f\x85\x01.yaml';
const NEWLINE_FILE = 'nl\nINJECTED: fake line\x1b[2K.yaml';
const BROKEN_FILE = 'bad\nkfguard: input error: fake.yaml';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n  - name: main\n    image: nginx\n    securityContext: {privileged: true}\n';

/** What no output may hold raw: C0 controls but tab and newline, DEL, C1, U+2028/2029, bidi controls. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

describe('file names with control characters', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  writeFileSync(join(dir.path, FINDING_FILE), POD);
  writeFileSync(join(dir.path, NEWLINE_FILE), POD.replace('name: p', 'name: q'));
  writeFileSync(join(dir.path, BROKEN_FILE), 'a: [\n');
  const formats = Object.keys(FORMATTERS);
  const run = runCli(['scan', '.', ...formats.flatMap((f) => ['--format', `${f}=out.${f}`]), '--fail-on', 'none'], { cwd: dir.path });
  const output = async (format: string): Promise<string> => (await run).written.get(join(dir.path, `out.${format}`)) ?? assert.fail(`${format} not written`);

  for (const format of formats) {
    test(`${format}: no raw control character, and no line started by a file name`, async () => {
      const text = await output(format);
      assert.match(text, /pod/, 'the finding file is reported; the test would prove nothing otherwise');
      const raw = RAW.exec(text);
      assert.equal(raw, null, raw ? `U+${raw[0].codePointAt(0)!.toString(16)} near ${JSON.stringify(text.slice(Math.max(0, raw.index - 40), raw.index + 10))}` : '');
      assert.doesNotMatch(text, /^(?:INJECTED|kfguard: input error: fake)/m);
    });
  }

  test('stderr: one line per input error, escaped', async () => {
    const { stderr } = await run;
    assert.equal(RAW.exec(stderr), null, JSON.stringify(stderr));
    assert.doesNotMatch(stderr, /^kfguard: input error: fake/m);
    assert.match(stderr, /input error: bad\\u000akfguard/);
  });

  test('JSON names the real file: the control characters are JSON escapes, not text', async () => {
    const report = JSON.parse(await output('json')) as { findings: { location?: { file: string } }[]; errors: { file: string }[] };
    const files = new Set(report.findings.map((f) => f.location?.file));
    assert.ok(files.has(FINDING_FILE), [...files].map((f) => JSON.stringify(f)).join(', '));
    assert.ok(files.has(NEWLINE_FILE));
    assert.deepEqual(report.errors.map((e) => e.file), [BROKEN_FILE]);
    const sast = JSON.parse(await output('gitlab-sast')) as { vulnerabilities: { location: { file: string } }[] };
    assert.ok(sast.vulnerabilities.some((v) => v.location.file === FINDING_FILE));
  });

  test('SARIF URIs percent-encode the real bytes (RFC 3986), so they open the file', async () => {
    const sarif = JSON.parse(await output('sarif')) as { runs: { results: { locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[] }[] };
    const uris = new Set(sarif.runs[0]!.results.flatMap((r) => r.locations ?? []).map((l) => l.physicalLocation?.artifactLocation?.uri));
    assert.ok(uris.has(encodeURIComponent(FINDING_FILE)), [...uris].join(', '));
    assert.ok(uris.has(encodeURIComponent(NEWLINE_FILE)));
    // eslint-disable-next-line no-control-regex
    for (const uri of uris) assert.doesNotMatch(uri ?? '', /%5Cu|[\s\u0000-\u001f]/u, 'escaped twice, or raw');
  });
});
