import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EXPOSED_GATEWAY, runCli, tempDir } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';

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

  test('--placeholder-cidr refuses an address or prefix that cannot exist', async () => {
    writeFileSync(join(dir.path, 'cidr.yaml'), EXPOSED_GATEWAY);
    for (const bad of ['999.1.1.1/99', '10.0.0.0/33', '2001:db8::/129']) {
      const run = await runCli(['fix', 'cidr.yaml', '--placeholder-cidr', bad], { cwd: dir.path });
      assert.equal(run.code, 2, `${bad}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /invalid --placeholder-cidr/);
    }
    const good = await runCli(['fix', 'cidr.yaml', '--placeholder-cidr', '10.0.0.0/8'], { cwd: dir.path });
    assert.notEqual(good.code, 2, good.stderr);
  });

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

  test("pinning an image keeps the user's comment on its line, and adds the placeholder note after it", async () => {
    const file = join(dir.path, 'pinned.yaml');
    const image = 'tensorflow/tensorflow:latest-gpu';
    writeFileSync(file, `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: train}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    container:\n      image: ${image}  # pinned by the platform team, JIRA-12\n      command: [python, train.py]\n`);
    const run = await runCli(['fix', 'pinned.yaml', '--in-place', '--rule', 'image-floating-tag'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    const line = readFileSync(file, 'utf8').split('\n').find((l) => l.includes('image:'));
    assert.equal(line, `      image: ${image}@sha256:${'0'.repeat(64)}  # pinned by the platform team, JIRA-12 # kfguard: placeholder digest, replace with: crane digest ${image}`);
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

  test('a kustomize directory gets an overlay with JSON patches; the base is not touched', { skip: skipWithout('kubectl', 'kustomize') }, async () => {
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

  test('CRLF files stay CRLF, lone-CR files and aliased fields are refused untouched, and one unwritable output does not stop the rest', async () => {
    const crlf = join(dir.path, 'crlf.yaml');
    writeFileSync(crlf, EXPOSED_GATEWAY.replace(/\n/g, '\r\n'));
    const crlfRun = await runCli(['fix', 'crlf.yaml', '--in-place', '--rule', 'kubeflow-dashboard-exposed'], { cwd: dir.path });
    assert.equal(crlfRun.code, 0, crlfRun.stderr);
    const fixed = readFileSync(crlf, 'utf8');
    assert.notEqual(fixed, EXPOSED_GATEWAY.replace(/\n/g, '\r\n'));
    assert.ok(!/(?<!\r)\n/.test(fixed), 'a bare LF slipped into a CRLF file');

    const loneCr = join(dir.path, 'lonecr.yaml');
    writeFileSync(loneCr, EXPOSED_GATEWAY.replace(/\n/g, '\r'));
    const argo = join(dir.path, 'argo.yaml');
    const argoText = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: argo-server, namespace: argo}',
      'spec:',
      '  selector: {matchLabels: {app: argo-server}}',
      '  template:',
      '    metadata: {labels: {app: argo-server}}',
      '    spec:',
      '      containers:',
      '      - name: argo-server',
      '        image: quay.io/argoproj/argocli:v3.5.5',
      '        args: &args [server, --auth-mode=server]',
      '      - name: copy',
      '        image: quay.io/argoproj/argocli:v3.5.5',
      '        args: *args',
      '',
    ].join('\n');
    writeFileSync(argo, argoText);
    mkdirSync(join(dir.path, 'sub'), { recursive: true });
    writeFileSync(join(dir.path, 'sub', 'gw.yaml'), EXPOSED_GATEWAY);
    writeFileSync(join(dir.path, 'gw.yaml'), EXPOSED_GATEWAY);
    mkdirSync(join(dir.path, 'blocked'), { recursive: true });
    writeFileSync(join(dir.path, 'blocked', 'sub'), 'a file where the output directory would go');
    const run = await runCli(['fix', 'lonecr.yaml', 'argo.yaml', 'gw.yaml', 'sub/gw.yaml', '--out', 'blocked'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /lonecr\.yaml: not edited: it uses lone carriage returns/);
    assert.match(run.stderr, /argo\.yaml: not edited: the fields to change go through YAML aliases/);
    assert.match(run.stderr, /cannot write blocked\/sub\/gw\.yaml/);
    assert.ok(!run.stderr.includes('internal error'), run.stderr);
    assert.ok(readFileSync(join(dir.path, 'blocked', 'gw.yaml'), 'utf8').length > 0, 'the writable output was not written');
    assert.equal(readFileSync(argo, 'utf8'), argoText);
  });

  test('a JSON 6902 patch that opens a Service loses its node port and load balancer ops too', async () => {
    const overlay = join(dir.path, 'overlay');
    mkdirSync(overlay, { recursive: true });
    const kustomization = join(overlay, 'kustomization.yaml');
    writeFileSync(
      kustomization,
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources: [../base]',
        'patches:',
        '- target: {kind: Service, name: ml-pipeline-ui}',
        '  patch: |-',
        '    - op: replace',
        '      path: /spec/type',
        '      value: NodePort',
        '    - op: add',
        '      path: /spec/ports/0/nodePort',
        '      value: 30080',
        '    - op: add',
        '      path: /spec/externalTrafficPolicy',
        '      value: Local',
        '',
      ].join('\n'),
    );
    const run = await runCli(['fix', 'overlay/kustomization.yaml', '--in-place', '--rule', 'kubeflow-dashboard-exposed'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    const fixed = readFileSync(kustomization, 'utf8');
    assert.match(fixed, /value: ClusterIP/);
    assert.ok(!/nodePort|externalTrafficPolicy|NodePort/.test(fixed), fixed);
  });
});
