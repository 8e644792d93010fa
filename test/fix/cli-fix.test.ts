import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EXPOSED_GATEWAY, runCli, tempDir } from '../helpers/cli.js';

const INGRESS_TO_DASHBOARD = `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: dashboard
  namespace: kubeflow
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: centraldashboard
            port:
              number: 80
`;

const DASHBOARD_SERVICE = `---
apiVersion: v1
kind: Service
metadata:
  name: centraldashboard
  namespace: kubeflow
spec:
  selector: {app: centraldashboard}
  ports:
  - port: 80
    targetPort: 8082
`;

async function exposureFindings(cwd: string, path: string): Promise<{ ruleId: string; resource: { kind: string } }[]> {
  const run = await runCli(['scan', path, '--format', 'json', '--rule', 'kubeflow-dashboard-exposed', '--fail-on', 'none'], { cwd });
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as { findings: { ruleId: string; resource: { kind: string } }[] }).findings;
}

describe('kfguard fix', () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  test('without --in-place or --out it only previews a diff', async () => {
    const file = join(dir.path, 'preview.yaml');
    writeFileSync(file, EXPOSED_GATEWAY);
    const run = await runCli(['fix', 'preview.yaml', '--rule', 'kubeflow-dashboard-exposed'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^--- a\/preview\.yaml$/m);
    assert.match(run.stdout, /^- {2}type: LoadBalancer$/m);
    assert.match(run.stdout, /^\+ {2}type: ClusterIP$/m);
    assert.match(run.stderr, /would fix 1 finding\(s\) in 1 file\(s\)/);
    assert.match(run.stderr, /Nothing was changed/);
    assert.equal(readFileSync(file, 'utf8'), EXPOSED_GATEWAY);
    assert.equal(run.written.size, 0);
  });

  test('--in-place fixes what it can and lists what it cannot, pointing at explain', async () => {
    const file = join(dir.path, 'inplace.yaml');
    writeFileSync(file, EXPOSED_GATEWAY + INGRESS_TO_DASHBOARD + DASHBOARD_SERVICE);
    assert.ok((await exposureFindings(dir.path, 'inplace.yaml')).length >= 2);
    const run = await runCli(['fix', 'inplace.yaml', '--in-place', '--rule', 'kubeflow-dashboard-exposed'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /fixed 1 finding\(s\) in 1 file\(s\)/);
    assert.match(run.stderr, /1 finding\(s\) have no automatic fix:\n {2}- kubeflow-dashboard-exposed \(1\): the entry bypasses the Istio gateway.*see `kfguard explain kubeflow-dashboard-exposed`/);
    const remaining = await exposureFindings(dir.path, 'inplace.yaml');
    assert.deepEqual(remaining.map((f) => f.resource.kind), ['Ingress']);
    assert.ok(readFileSync(file, 'utf8').endsWith(INGRESS_TO_DASHBOARD + DASHBOARD_SERVICE), 'untouched documents stay byte-identical');
  });

  test('a kustomize directory gets an overlay with JSON patches; the base is not touched', async () => {
    const base = join(dir.path, 'base');
    mkdirSync(base);
    writeFileSync(join(base, 'kustomization.yaml'), 'resources:\n- gateway.yaml\n');
    writeFileSync(join(base, 'gateway.yaml'), EXPOSED_GATEWAY);
    assert.ok((await exposureFindings(dir.path, 'base')).length > 0, 'the base must be exposed');
    const run = await runCli(['fix', 'base', '--out', 'fixed', '--rule', 'kubeflow-dashboard-exposed'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    const kustomization = readFileSync(join(dir.path, 'fixed', 'kustomization.yaml'), 'utf8');
    assert.match(kustomization, /resources:\n {2}- \.\.\/base/);
    assert.match(kustomization, /kind: Service\n\s+name: istio-ingressgateway/);
    assert.deepEqual(readdirSync(join(dir.path, 'fixed', 'patches')), ['service-istio-system-istio-ingressgateway.yaml']);
    assert.equal(readFileSync(join(base, 'gateway.yaml'), 'utf8'), EXPOSED_GATEWAY);
    assert.deepEqual(await exposureFindings(dir.path, 'fixed'), []);
  });

  test('--in-place and --out together are a usage error', async () => {
    const run = await runCli(['fix', 'x.yaml', '--in-place', '--out', 'y'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /usage error: --out and --in-place exclude each other/);
  });
});
