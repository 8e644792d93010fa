import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCredentialName, redactCredentialAssignments, redactParserMessage, redactUrlCredentials, redactYamlCredentials } from '../../src/core/redact.js';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { runCase } from '../../src/testing/rule-tester.js';

const CANARY = 'CANARY-S3CR3T-1234';

test('credential names are told from names that only point at credentials', () => {
  for (const name of ['password', 'AWS_SECRET_ACCESS_KEY', 'JUPYTER_TOKEN', 'clientSecret', 'MINIO_ROOT_PASSWORD', 'token', 'cookie-secret']) {
    assert.equal(isCredentialName(name), true, name);
  }
  for (const name of ['secretName', 'secretKeyRef', 'passwordFile', 'image', 'name', 'tokenizer_path', 'auth-mode']) {
    assert.equal(isCredentialName(name), false, name);
  }
});

test('manifest text printed by fix keeps its lines but never a credential', () => {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'spec:',
    '  containers:',
    '  - name: nb',
    `    args: ["--NotebookApp.token=", "--ServerApp.password='${CANARY}'", "--port=8888"]`,
    '    env:',
    '    - name: JUPYTER_TOKEN',
    `      value: ${CANARY}`,
    '    - name: HOME',
    '      value: /home/jovyan',
    `    - { name: AWS_SECRET_ACCESS_KEY, value: ${CANARY} }`,
    `    - { name: DATA_URL, value: "s3://user:${CANARY}@minio:9000/b" }`,
    `    command: [python, -c, "c.ServerApp.password = '${CANARY}'"]`,
    '    envFrom: [{ secretRef: { name: creds } }]',
    '---',
  ].join('\n');
  const redacted = redactYamlCredentials(text);
  assert.ok(!redacted.includes(CANARY), redacted);
  assert.equal(redacted.split('\n').length, text.split('\n').length);
  assert.match(redacted, /value: \/home\/jovyan/);
  assert.match(redacted, /--port=8888/);
  assert.match(redacted, /secretRef: \{ name: creds \}/);
});

test('every value under a Secret\'s data and stringData is masked', () => {
  const secret = ['apiVersion: v1', 'kind: Secret', 'metadata: {name: s}', 'stringData:', `  config.json: ${CANARY}`, '  script.sh: |', `    echo ${CANARY}`, 'type: Opaque'].join('\n');
  const redacted = redactYamlCredentials(secret);
  assert.ok(!redacted.includes(CANARY), redacted);
  assert.match(redacted, /type: Opaque/);
  assert.ok(!redactYamlCredentials(`kind: Secret\ndata: {token: ${CANARY}}\n`).includes(CANARY));
});

test('URL passwords are masked and users kept', () => {
  assert.equal(redactUrlCredentials(`stratum+tcp://worker:${CANARY}@pool.example.com:3333`), 'stratum+tcp://worker:<redacted>@pool.example.com:3333');
  assert.equal(redactUrlCredentials('https://example.com/a:b@c'), 'https://example.com/a:b@c');
});

test('YAML errors do not quote alias names or tags, which may be secret values', () => {
  assert.equal(redactParserMessage(`unidentified alias "${CANARY}"`), 'unidentified alias "…"');
  const alias = parseYamlStream(`apiVersion: v1\nkind: Secret\nstringData:\n  password: *${CANARY}\n`);
  assert.equal(alias.errors.length, 1);
  assert.ok(!alias.errors[0]!.message.includes(CANARY), alias.errors[0]!.message);
  // Kubernetes accepts a local tag (the text stays); the note that YAML 1.2 readers refuse it must not quote it either.
  const tag = parseYamlStream(`apiVersion: v1\nkind: Secret\nstringData:\n  password: !${CANARY} x\n`);
  assert.deepEqual(tag.errors, []);
  const notes = (tag.documents[0]!.readingNotes ?? []).join('\n');
  assert.match(notes, /refuse this document/);
  assert.ok(!notes.includes(CANARY), notes);
});

test('miner evidence shows a pool login but not its password', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'm', namespace: 'ns' },
    spec: { containers: [{ name: 'm', image: 'alpine', command: ['/tmp/xmrig', '-o', `stratum+tcp://worker1:${CANARY}@pool.example.com:3333`] }] },
  };
  const findings = runCase(cryptoMinerWorkload, { name: 'pool password', objects: [pod] });
  assert.equal(findings.length, 1);
  const shown = JSON.stringify(findings);
  assert.ok(!shown.includes(CANARY), shown);
  assert.match(shown, /worker1:<redacted>@pool\.example\.com/);
});

describe('credential flags whose value is the next word', () => {
  test('are masked; other flags and a following flag are not', () => {
    const out = redactCredentialAssignments('run.py --db-password hunter2hunter --password -v --name trainer -p 8080 --api-key "a b"');
    assert.ok(!out.includes('hunter2hunter') && !out.includes('"a b"'), out);
    assert.ok(out.includes('--password -v') && out.includes('--name trainer') && out.includes('-p 8080'), out);
  });
});

describe('HTTP credential schemes in a typed command', () => {
  test('a Bearer or Basic token is masked; prose with the same words is not', () => {
    const out = redactCredentialAssignments('curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig" -H \'Authorization: Basic dXNlcjpwYXNz\' https://ray:8265/api/jobs/');
    assert.ok(!out.includes('eyJhbGci') && !out.includes('dXNlcjpw'), out);
    assert.match(out, /Bearer <redacted>.*Basic <redacted>/);
    for (const prose of ['basic authentication', 'Basic Training', 'a bearer token']) assert.equal(redactCredentialAssignments(prose), prose);
  });
});
