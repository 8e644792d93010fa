// The parts of a probe that need no network: the fingerprint data, login detection, redaction of
// excerpts, and the URLs a scanned entry object makes reachable.
import assert from 'node:assert/strict';
import { closeTruncatedJson } from '../../src/probe/match.js';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding, K8sObject } from '../../src/core/types.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { loginKind } from '../../src/probe/auth-signals.js';
import { displayUrl, excerptOf, redactTokens } from '../../src/probe/excerpt.js';
import { targetsOfEntry } from '../../src/probe/exposure-targets.js';
import { readFingerprintFile, shippedFingerprints } from '../../src/probe/fingerprints.js';
import { parseHeaders, parseTargetUrl, targetsFromText } from '../../src/probe/targets.js';
import { ALL_RULES } from '../../src/rules/index.js';

describe('fingerprint data', () => {
  const products = shippedFingerprints();
  test('covers every product the issue lists, each with a probe that proves it open', () => {
    const ids = products.map((p) => p.id);
    for (const id of ['kubeflow-central-dashboard', 'kubeflow-pipelines', 'jupyter-server', 'jupyterhub', 'argo-server', 'ray-dashboard', 'kubernetes-dashboard', 'mlflow', 'tensorboard', 'ollama', 'openai-compatible', 'open-inference-v2']) {
      assert.ok(ids.includes(id), `no fingerprint for ${id}`);
    }
    for (const product of products.filter((p) => p.id !== 'jupyterhub')) assert.ok(product.probes.some((p) => p.open), `${product.id} has no open probe`);
  });

  test('every rule id it names is a shipped rule, and every entry has an https source', () => {
    const rules = new Set(ALL_RULES.map((r) => r.meta.id));
    for (const product of products) {
      assert.ok(rules.has(product.ruleId), `${product.id}: unknown rule ${product.ruleId}`);
      for (const probe of product.probes) {
        assert.match(probe.source, /^https:\/\//);
        if (probe.alsoWhen) assert.ok(rules.has(probe.alsoWhen.ruleId));
      }
    }
  });

  test('the issue\'s endpoints are all asked', () => {
    const paths = new Set(products.flatMap((p) => p.probes.map((probe) => probe.path.split('?')[0])));
    for (const path of ['/api/workgroup/env-info', '/api/workgroup/exists', '/api/dashboard-links', '/pipeline/apis/v1beta1/healthz', '/pipeline/apis/v2beta1/healthz', '/apis/v2beta1/healthz', '/api/status', '/api/kernels', '/hub/api', '/api/v1/info', '/api/v1/workflows/{namespace}', '/v2/health/ready', '/api/version', '/api/jobs/', '/api/2.0/mlflow/experiments/search', '/api/tags', '/v1/models', '/v2/models']) {
      assert.ok(paths.has(path), `${path} is not probed`);
    }
  });

  test('a broken fingerprint file is refused with the file and the entry at fault', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-fp-'));
    try {
      const file = join(dir, 'f.yaml');
      writeFileSync(file, 'version: 1\nupdated: x\nproducts:\n  - id: a\n    name: A\n    ruleId: r\n    source: http://insecure\n    probes: [{ path: /x, open: { json: { keys: [a] } }, source: https://e.x/ }]\n');
      assert.throws(() => readFingerprintFile(file), /f\.yaml: products\.0\.source: must be an https URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('login redirects', () => {
  const cases: [string, string | undefined][] = [
    ['https://kf.example.com/dex/auth?client_id=x&state=y', 'Dex login'],
    ['https://kf.example.com/oauth2/start?rd=%2F', 'oauth2-proxy login'],
    ['https://accounts.google.com/o/oauth2/v2/auth?client_id=1', 'Google IAP / Google sign-in'],
    ['https://kf.auth.eu-west-1.amazoncognito.com/oauth2/authorize?client_id=1', 'Amazon Cognito login'],
    ['https://login.microsoftonline.com/tenant/oauth2/v2.0/authorize', 'Microsoft Entra ID login'],
    ['https://idp.example.org/realms/x/protocol/openid-connect/auth?client_id=k&response_type=code', 'an OIDC/OAuth login'],
    ['https://nb.example.com/login?next=%2Ftree', 'a login page'],
    ['https://hub.example.com/hub/login', 'a login page'],
    ['https://kf.example.com/pipeline/', undefined],
    ['https://kf.example.com/_/jupyter/', undefined],
  ];
  for (const [location, kind] of cases) test(`${location} → ${kind ?? 'not a login'}`, () => assert.equal(loginKind(location), kind));
});

describe('redaction', () => {
  test('tokens and credential fields are masked, escapes made visible', () => {
    const excerpt = excerptOf('', { password: 'pw-1', nested: { clientSecret: 'cs-2' }, csrfToken: 'abc', text: 'token=deadbeefdeadbeef \u001b[31m' });
    assert.ok(!/pw-1|cs-2|deadbeefdeadbeef/.test(excerpt), excerpt);
    assert.ok(excerpt.includes('\\u001b'));
    assert.equal(redactTokens('Authorization: Bearer abcdefgh12345678'), 'Authorization: Bearer <redacted>');
    assert.equal(redactTokens('ray_version 2.9.3'), 'ray_version 2.9.3');
  });

  test('URLs lose user info and query values', () => {
    assert.equal(displayUrl('https://u:p@kf.example.com/dex/auth?state=s3cret&client_id=x'), 'https://kf.example.com/dex/auth?state=…&client_id=…');
  });

  test('a token in a redirect\'s path is redacted too', () => {
    const session = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4';
    assert.ok(!displayUrl(`https://kf.example.com/login/${session}/callback`).includes(session));
    assert.equal(displayUrl('https://kf.example.com/pipeline/apis/v2beta1/healthz'), 'https://kf.example.com/pipeline/apis/v2beta1/healthz');
  });
});

describe('targets and headers', () => {
  test('URLs are checked and normalised; --targets keeps line numbers', () => {
    assert.deepEqual(parseTargetUrl('https://kf.example.com/x#frag'), { url: 'https://kf.example.com/x' });
    assert.ok('error' in parseTargetUrl('javascript:alert(1)'));
    const read = targetsFromText('http://a.example/\n  \n# c\nbad\n', 't.txt');
    assert.deepEqual(read.urls, ['http://a.example/']);
    assert.deepEqual(read.errors.map((e) => e.line), [4]);
  });

  test('identity headers are refused case-insensitively; header injection is refused', () => {
    assert.throws(() => parseHeaders(['AUTHORIZATION: x']), /refused/);
    assert.throws(() => parseHeaders(['X-Auth-Request-Email: a@b']), /refused/);
    assert.throws(() => parseHeaders(['X-A: b\r\nCookie: c']), /line break/);
    assert.deepEqual(parseHeaders(['Host: kf.example.com']), { host: 'kf.example.com' });
  });
});

describe('addresses of entry objects', () => {
  const finding = (object: K8sObject): Finding => ({
    ruleId: 'kubeflow-dashboard-exposed',
    severity: 'critical',
    category: 'exposure',
    title: 't',
    message: 'm',
    resource: { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata?.namespace ?? 'ns', name: object.metadata?.name ?? 'n' },
    evidence: [],
    mitre: [],
    remediation: '',
    source: 'manifest',
    fingerprint: 'f',
  });
  const urlsOf = (object: K8sObject, others: K8sObject[] = []): { urls: string[]; warnings: string[] } => {
    const snapshot = newSnapshot();
    for (const o of others) snapshot.upsert({ object: o, origin: { kind: 'cluster', context: 'c' } });
    const warnings: string[] = [];
    return { urls: targetsOfEntry(object, snapshot, finding(object), warnings).map((t) => t.url), warnings };
  };

  test('Ingress: each host, https when TLS names it, the path prefix kept and regex tails dropped', () => {
    const ingress: K8sObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'kf', namespace: 'istio-system' },
      spec: {
        tls: [{ hosts: ['kf.example.com'] }],
        rules: [
          { host: 'kf.example.com', http: { paths: [{ path: '/' }] } },
          { host: 'nb.example.com', http: { paths: [{ path: '/notebook/team-a/nb(/|$)(.*)' }] } },
          { host: '*.wild.example.com', http: { paths: [{ path: '/' }] } },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } },
    };
    assert.deepEqual(urlsOf(ingress).urls, ['https://kf.example.com/', 'http://nb.example.com/notebook/team-a/nb', 'http://203.0.113.9/']);
  });

  test('NodePort: the nodes\' external addresses, or a warning naming the port when none is known', () => {
    const service: K8sObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ui', namespace: 'kubeflow' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } };
    const node: K8sObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'ExternalIP', address: '198.51.100.4' }] } };
    assert.deepEqual(urlsOf(service, [node]).urls, ['http://198.51.100.4:30080/']);
    const none = urlsOf(service);
    assert.deepEqual(none.urls, []);
    assert.match(none.warnings.join('\n'), /NodePort 30080 but no node address is known/);
  });

  test('Route, Gateway and HTTPRoute host names; IPv6 addresses in brackets; https on 443', () => {
    assert.deepEqual(urlsOf({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'r' }, spec: { host: 'kf.apps.example.com', tls: { termination: 'edge' } } }).urls, ['https://kf.apps.example.com/']);
    assert.deepEqual(
      urlsOf({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { listeners: [{ name: 'web', port: 8080, protocol: 'HTTP' }] }, status: { addresses: [{ value: '2001:db8::1' }] } }).urls,
      ['http://[2001:db8::1]:8080/'],
    );
    assert.deepEqual(urlsOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] }, status: { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } } }).urls, ['https://lb.example.com/']);
  });
});

describe('redaction reads a bounded prefix', () => {
  test('only the first characters of a long answer are redacted and shown, whatever follows', () => {
    const long = 'a'.repeat(64 * 1024);
    assert.equal(excerptOf(long, undefined), excerptOf(long.slice(0, 1000), undefined));
    assert.equal(excerptOf('', { name: long }), excerptOf('', { name: long.slice(0, 1000) }));
    assert.equal(displayUrl(`not a url ${long}`), displayUrl(`not a url ${long.slice(0, 1000)}`));
  });
});

describe('closing a JSON text cut by the body cap', () => {
  test('every prefix of a JSON list or object closes into valid JSON made only of complete values it held', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.jsonValue(), { minLength: 1 }), fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 })), fc.nat(), (value, at) => {
        const text = JSON.stringify(value);
        const cut = text.slice(0, 1 + (at % text.length));
        const closed = closeTruncatedJson(cut);
        if (closed === undefined) return;
        const parsed = JSON.parse(closed) as unknown;
        assert.equal(Array.isArray(parsed), Array.isArray(value));
        // Nothing is invented: the closed text's complete leading part was sent.
        assert.ok(text.startsWith(closed.replace(/[\]}]+$/, '')), `${cut} -> ${closed}`);
      }),
      { numRuns: 300 },
    );
  });
});
