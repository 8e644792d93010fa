import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import type { Rule } from '../../src/core/rule.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { requiresShared } from '../../src/testing/shared.js';
import { MAX_WARNING_CHARS } from '../../src/webhook/decision.js';
import { MAX_REVIEW_BYTES } from '../../src/webhook/settings.js';
import { minerPod, pipelinePod, review, startServer, stockObjects, type Running } from './harness.js';

/** The server over real TLS on loopback, judging real AdmissionReview JSON against the stock install. */

const minerWorkflow: K8sObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { generateName: 'train-', namespace: 'kubeflow-user-example-com' },
  spec: {
    entrypoint: 'main',
    templates: [{ name: 'main', container: { image: 'ubuntu:22.04', command: ['sh', '-c'], args: ['./xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ'] } }],
  },
};

describe('webhook server over TLS', requiresShared(), () => {
  let running: Running;
  before(async () => {
    running = await startServer();
  });
  after(() => running.close());

  test('a miner Pod is denied with the rule id and evidence; a pipeline Pod is allowed', async () => {
    const denied = await running.post(review(minerPod()));
    assert.equal(denied.status, 200);
    assert.equal(denied.json.response.allowed, false);
    assert.equal(denied.json.response.status.code, 403);
    assert.match(denied.json.response.status.message, /crypto-miner-workload \(critical\)/);
    assert.match(denied.json.response.status.message, /stratum/);
    assert.equal(denied.json.response.uid.startsWith('test-'), true);
    const allowed = await running.post(review(pipelinePod()));
    assert.equal(allowed.json.response.allowed, true, allowed.text);
  });

  test('a miner Workflow is denied at the Workflow, before any Pod exists; dryRun is judged the same', async () => {
    const reply = await running.post(review(minerWorkflow));
    assert.equal(reply.json.response.allowed, false, reply.text);
    assert.match(reply.json.response.status.message, /crypto-miner-workload/);
    const dry = await running.post(review(minerWorkflow, { dryRun: true }));
    assert.equal(dry.json.response.allowed, false);
  });

  test('DELETE of a miner Pod is allowed: cleanup is never blocked', async () => {
    const reply = await running.post(review(minerPod(), { operation: 'DELETE', object: null, oldObject: minerPod() }));
    assert.equal(reply.json.response.allowed, true);
  });

  test('a kfguard.io/ignore annotation on a miner Pod does not exempt it', async () => {
    const annotated = minerPod({ 'kfguard.io/ignore': 'crypto-miner-workload,*', 'kfguard.io/ignore-reason': 'trust me' });
    const reply = await running.post(review(annotated));
    assert.equal(reply.json.response.allowed, false, reply.text);
    assert.match(reply.json.response.status.message, /crypto-miner-workload/);
  });

  test('malformed JSON, another AdmissionReview version and a non-review get one-line 400s', async () => {
    const malformed = await running.post('{"apiVersion": ');
    assert.equal(malformed.status, 400);
    assert.match(malformed.json.error, /^malformed JSON/);
    const v1beta1 = await running.post(review(minerPod()).replace('admission.k8s.io/v1', 'admission.k8s.io/v1beta1'));
    assert.equal(v1beta1.status, 400);
    assert.match(v1beta1.json.error, /unsupported AdmissionReview version "admission.k8s.io\/v1beta1".*admissionReviewVersions/);
    const notReview = await running.post(JSON.stringify(minerPod()));
    assert.equal(notReview.status, 400);
    assert.match(notReview.json.error, /expected kind AdmissionReview, got "Pod"/);
    for (const reply of [malformed, v1beta1, notReview]) assert.doesNotMatch(reply.json.error, /\n/);
  });

  test('a body over 3 MiB gets 413; one just under is judged', async () => {
    const pad = (size: number): string => {
      const base = review(pipelinePod());
      return `${base.slice(0, -1)}, "padding": "${'x'.repeat(size - base.length - 16)}"}`;
    };
    const over = await running.post(pad(MAX_REVIEW_BYTES + 10));
    assert.equal(over.status, 413);
    const under = await running.post(pad(MAX_REVIEW_BYTES - 10));
    assert.equal(under.status, 200, under.text.slice(0, 200));
  });

  test('a client that asks `Expect: 100-continue` for a body over 3 MiB gets 413 before uploading it', async () => {
    // Its own server: the /metrics test below counts the shared server's rejections.
    const own = await startServer();
    const { status, continued } = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      const headers = { 'content-type': 'application/json', 'content-length': String(MAX_REVIEW_BYTES + 10), expect: '100-continue' };
      const req = request({ host: '127.0.0.1', port: own.port, method: 'POST', path: '/validate', ca: own.certs.caCert, agent: false, servername: 'kfguard-webhook.kfguard.svc', headers });
      let continued = false;
      req.on('continue', () => {
        continued = true;
        req.end(Buffer.alloc(MAX_REVIEW_BYTES + 10, 0x20));
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
      });
      req.on('error', reject);
    }).finally(() => own.close());
    assert.equal(status, 413);
    assert.equal(continued, false, 'the server invited the upload it then refused');
  });

  test('unknown paths and methods get 404 and 405; /healthz and /readyz answer', async () => {
    assert.equal((await running.get('/nope')).status, 404);
    assert.equal((await running.get('/validate')).status, 405);
    assert.equal((await running.get('/healthz')).status, 200);
    const ready = await running.get('/readyz');
    assert.equal(ready.status, 200);
    // Rules that cannot judge an admission request are named as gaps.
    assert.ok(ready.json.coverageGaps.some((gap: string) => /^[a-z0-9-]+: /.test(gap)), JSON.stringify(ready.json.coverageGaps));
  });

  test('/metrics counts requests by kind, operation and decision, with latency, in-flight and snapshot age', async () => {
    await running.post(review(minerPod()));
    const text = (await running.get('/metrics')).text;
    assert.match(text, /kfguard_webhook_requests_total\{kind="Pod",operation="CREATE",decision="denied"\} [1-9]/);
    assert.match(text, /kfguard_webhook_request_duration_seconds_bucket\{le="0.01",kind="Pod",decision="denied"\}/);
    assert.match(text, /kfguard_webhook_in_flight_requests 0/);
    assert.match(text, /kfguard_webhook_snapshot_age_seconds \d/);
    assert.match(text, /kfguard_webhook_rejected_requests_total\{reason="too-large"\} 1/);
  });
});

describe('the gateway switched to LoadBalancer, judged against the snapshot', requiresShared(), () => {
  const authChain = new Set(['AuthorizationPolicy', 'RequestAuthentication', 'EnvoyFilter']);
  let stock: readonly ScannedObject[];
  let gateway: K8sObject;
  before(async () => {
    stock = await stockObjects();
    gateway = stock.find((s) => s.object.kind === 'Service' && s.object.metadata?.name === 'istio-ingressgateway')!.object;
  });
  const asLoadBalancer = (): K8sObject => ({ ...gateway, spec: { ...(gateway.spec as object), type: 'LoadBalancer' } });

  test('denied when nothing authenticates the route', async () => {
    const withoutAuth = stock.filter((s) => !(s.object.metadata?.namespace === 'istio-system' && authChain.has(s.object.kind)));
    const running = await startServer({ objects: withoutAuth });
    try {
      const reply = await running.post(review(asLoadBalancer(), { operation: 'UPDATE' }));
      assert.equal(reply.json.response.allowed, false, reply.text);
      assert.match(reply.json.response.status.message, /kubeflow-dashboard-exposed \(critical\)/);
    } finally {
      await running.close();
    }
  });

  test('a NodePort gateway is denied as well when nothing authenticates the route (issue 10 lists LoadBalancer or NodePort)', async () => {
    const withoutAuth = stock.filter((s) => !(s.object.metadata?.namespace === 'istio-system' && authChain.has(s.object.kind)));
    const running = await startServer({ objects: withoutAuth });
    try {
      const nodePort = { ...gateway, spec: { ...(gateway.spec as object), type: 'NodePort' } };
      const reply = await running.post(review(nodePort, { operation: 'UPDATE' }));
      assert.equal(reply.json.response.allowed, false, reply.text);
      assert.match(reply.json.response.status.message, /kubeflow-dashboard-exposed \(critical\)/);
      assert.match(reply.json.response.status.message, /NodePort/);
    } finally {
      await running.close();
    }
  });

  test('allowed (at most with warnings) when the oauth2-proxy chain is in place', async () => {
    const running = await startServer({ objects: stock });
    try {
      const reply = await running.post(review(asLoadBalancer(), { operation: 'UPDATE' }));
      assert.equal(reply.json.response.allowed, true, reply.text);
      for (const warning of reply.json.response.warnings ?? []) assert.ok(warning.length <= MAX_WARNING_CHARS, warning);
    } finally {
      await running.close();
    }
  });

  test('a VirtualService that routes a UI out through the exposed gateway is denied for what it introduces', async () => {
    const exposed = stock
      .filter((s) => !(s.object.metadata?.namespace === 'istio-system' && authChain.has(s.object.kind)))
      .map((s) => (s.object === gateway ? { ...s, object: asLoadBalancer() } : s));
    const running = await startServer({ objects: exposed });
    try {
      const route: K8sObject = {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'side-door', namespace: 'kubeflow' },
        spec: { gateways: ['kubeflow/kubeflow-gateway'], hosts: ['*'], http: [{ match: [{ uri: { prefix: '/side-door/' } }], route: [{ destination: { host: 'ml-pipeline.kubeflow.svc.cluster.local', port: { number: 8888 } } }] }] },
      };
      const reply = await running.post(review(route));
      assert.equal(reply.json.response.allowed, false, reply.text);
      assert.match(reply.json.response.status.message, /kubeflow-dashboard-exposed \(critical\) on Service istio-system\/istio-ingressgateway/);
    } finally {
      await running.close();
    }
  });
});

describe('modes, exemptions and failure policies', requiresShared(), () => {
  test('warn turns the denial into warnings; audit allows and records in auditAnnotations', async () => {
    for (const mode of ['warn', 'audit'] as const) {
      const running = await startServer({ settings: { mode } });
      try {
        const reply = await running.post(review(minerPod()));
        assert.equal(reply.json.response.allowed, true, reply.text);
        assert.equal(reply.json.response.auditAnnotations.decision, 'deny');
        assert.match(reply.json.response.auditAnnotations.rules, /crypto-miner-workload/);
        if (mode === 'warn') assert.ok(reply.json.response.warnings.some((w: string) => w.startsWith('kfguard critical crypto-miner-workload')));
        else assert.equal(reply.json.response.warnings, undefined);
      } finally {
        await running.close();
      }
    }
  });

  test('an exemption from the server config allows what the annotation could not', async () => {
    const running = await startServer({ settings: { exemptions: [{ namespaces: ['kubeflow-user-example-com'], users: ['alice@example.com'], reason: 'load test of the miner detector' }] } });
    try {
      const exempt = await running.post(review(minerPod()));
      assert.equal(exempt.json.response.allowed, true, exempt.text);
      assert.equal(exempt.json.response.auditAnnotations.decision, 'exempt');
      // Same object, another user: the exemption needs every field to match.
      const other = await running.post(review(minerPod(), { userInfo: { username: 'mallory', groups: [] } }));
      assert.equal(other.json.response.allowed, false);
    } finally {
      await running.close();
    }
  });

  test('an exemption naming rules exempts only those rules', async () => {
    const running = await startServer({ settings: { exemptions: [{ names: ['train-x7k2p'], rules: ['pod-privileged'], reason: 'not this one' }] } });
    try {
      const reply = await running.post(review(minerPod()));
      assert.equal(reply.json.response.allowed, false);
    } finally {
      await running.close();
    }
  });

  test('past the internal deadline the failure policy decides: fail denies, ignore allows', async () => {
    for (const failurePolicy of ['fail', 'ignore'] as const) {
      let release: () => void = () => undefined;
      const stuck = new Promise<void>((resolve) => {
        release = resolve;
      });
      // The hook never returns before the deadline: only the deadline can answer.
      const running = await startServer({ settings: { failurePolicy, deadlineMs: 300 }, beforeJudge: () => stuck });
      try {
        const reply = await running.post(review(pipelinePod()));
        assert.equal(reply.json.response.allowed, failurePolicy === 'ignore', reply.text);
        if (failurePolicy === 'fail') assert.match(reply.json.response.status.message, /deadline.*failure policy "fail"/);
        else assert.match(reply.json.response.warnings[0], /not judged: no decision within the 300 ms deadline/);
        const metrics = (await running.get('/metrics')).text;
        assert.match(metrics, new RegExp(`decision="${failurePolicy === 'fail' ? 'failed-closed' : 'failed-open'}"\\} 1`));
      } finally {
        release();
        await running.close();
      }
    }
  });

  test('a rule that throws is counted and logged, and the failure policy decides; the server keeps answering', async () => {
    const base = ALL_RULES.find((rule) => rule.meta.id === 'pod-privileged')!;
    const throwing: Rule = { meta: { ...base.meta, id: 'test-throws' }, check: () => { throw new Error('boom'); } };
    for (const failurePolicy of ['fail', 'ignore'] as const) {
      const running = await startServer({ rules: [...ALL_RULES, throwing], settings: { failurePolicy } });
      try {
        const reply = await running.post(review(pipelinePod()));
        assert.equal(reply.json.response.allowed, failurePolicy === 'ignore', reply.text);
        assert.match((await running.get('/metrics')).text, /kfguard_webhook_rule_errors_total\{rule="test-throws"\} 1/);
        assert.equal((await running.get('/healthz')).status, 200);
      } finally {
        await running.close();
      }
    }
  });
});
