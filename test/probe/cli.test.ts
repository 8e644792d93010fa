// `kfguard probe` as a user runs it: flags, usage errors, targets files, TLS, proxy, every report
// format, exit codes, and tracing a scan's exposure findings back to the URLs to probe.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FORMATTERS } from '../../src/report/formats.js';
import { startFakeMlService, type FakeMlService, type FakeMlServiceOptions } from '../../src/testing/fake-ml-services/server.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { runCli, tempDir } from '../helpers/cli.js';

const servers: FakeMlService[] = [];
const dir = tempDir('kfguard-probe-');
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  dir.cleanup();
});
async function serve(options: FakeMlServiceOptions): Promise<FakeMlService> {
  const server = await startFakeMlService(options);
  servers.push(server);
  return server;
}

describe('usage', () => {
  test('no URL is a usage error (exit 2) with a hint', async () => {
    const run = await runCli(['probe']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /usage error: probe needs at least one URL/);
  });

  test('only http and https URLs; a URL with credentials is refused without echoing the password', async () => {
    const ftp = await runCli(['probe', 'ftp://example.com/']);
    assert.equal(ftp.code, 2);
    assert.match(ftp.stderr, /only http: and https: URLs/);
    const creds = await runCli(['probe', 'https://admin:s3cr3t-pass@example.com/']);
    assert.equal(creds.code, 2);
    assert.match(creds.stderr, /carries credentials/);
    assert.ok(!creds.stderr.includes('s3cr3t-pass'));
  });

  test('credential and identity headers are refused, and their values never echoed', async () => {
    for (const header of ['Authorization: Bearer abc.def.ghi', 'Cookie: session=topsecret', 'kubeflow-userid: admin@example.com']) {
      const run = await runCli(['probe', 'http://127.0.0.1:9/', '--header', header]);
      assert.equal(run.code, 2, header);
      assert.match(run.stderr, /refused: probes are anonymous/);
      assert.ok(!run.stderr.includes(header.split(':')[1]!.trim()));
    }
  });

  test('--concurrency is bounded; timeouts must be numbers', async () => {
    assert.match((await runCli(['probe', 'http://127.0.0.1:9/', '--concurrency', '1000'])).stderr, /invalid --concurrency "1000".*\n.*1 to 64/);
    assert.equal((await runCli(['probe', 'http://127.0.0.1:9/', '--concurrency', '0'])).code, 2);
    assert.equal((await runCli(['probe', 'http://127.0.0.1:9/', '--timeout', 'soon'])).code, 2);
    assert.equal((await runCli(['probe', 'http://127.0.0.1:9/', '--proxy', 'socks5://127.0.0.1:1080'])).code, 2);
  });

  test('--help lists the flags', async () => {
    const run = await runCli(['probe', '--help']);
    assert.equal(run.code, 0);
    for (const flag of ['--targets', '--concurrency', '--timeout', '--insecure', '--ca', '--header', '--proxy', '--from-scan', '--cluster', '--follow-cross-host']) assert.ok(run.stdout.includes(flag), flag);
    // Each flag is described once (the cluster flags were once listed twice).
    const flagLines = run.stdout.split('\n').map((line) => /^ {2,}(?:-[A-Za-z], )?(--[a-z][a-z0-9-]*)/.exec(line)?.[1]).filter((f): f is string => f !== undefined);
    assert.deepEqual(flagLines.filter((flag, i) => flagLines.indexOf(flag) !== i), []);
  });

  test('--namespace needs no --cluster (it names the namespaces Argo is asked for); a bad name is a usage error', async () => {
    const argo = await serve({ products: ['argo'], argoManagedNamespace: 'hidden-team', raw: { '/api/v1/info': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"links":[]}') } });
    const run = await runCli(['probe', argo.url, '-n', 'hidden-team', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    assert.ok(argo.requests.some((r) => r.url === '/api/v1/workflows/hidden-team'));
    const bad = await runCli(['probe', argo.url, '--namespace', '../etc']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not a namespace name/);
  });
});

describe('targets and exit codes', () => {
  test('an open target exits 1, a protected one 0; --fail-on none never fails', async () => {
    const open = await serve({ products: ['ray'] });
    const closed = await serve({ products: ['ray'], mode: 'native-auth' });
    assert.equal((await runCli(['probe', open.url])).code, 1);
    assert.equal((await runCli(['probe', closed.url])).code, 0);
    assert.equal((await runCli(['probe', open.url, '--fail-on', 'none'])).code, 0);
  });

  test('--targets FILE: a bad line is an input error with file and line, on stderr too, and the other URLs are still probed', async () => {
    const open = await serve({ products: ['ollama'] });
    const file = join(dir.path, 'targets.txt');
    writeFileSync(file, `# targets\n${open.url}\n\nnot a url\nfile:///etc/passwd # no\n`);
    const run = await runCli(['probe', '--targets', file, '--format', 'json']);
    assert.equal(run.code, 2);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.errors.map((e: { file: string; line: number }) => `${e.file}:${e.line}`), [`${file}:4`, `${file}:5`]);
    assert.match(run.stderr, /targets\.txt:4: not a URL/);
    assert.equal(report.findings[0].ruleId, 'ml-service-exposed');
  });
});

describe('suppressions', () => {
  test('a config-file suppression marks a probe finding suppressed, and the exit code follows', async () => {
    const open = await serve({ products: ['ray'] });
    const config = join(dir.path, 'kfguard.yaml');
    writeFileSync(config, 'suppressions:\n  - rule: ray-dashboard-no-auth\n    resource: "**"\n    reason: lab cluster behind the office VPN (SEC-1)\n');
    const run = await runCli(['probe', open.url, '--config', config, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const finding = JSON.parse(run.stdout).findings[0];
    assert.equal(finding.ruleId, 'ray-dashboard-no-auth');
    assert.equal(finding.suppression.kind, 'config');
  });
});

describe('the built binary', () => {
  test('bin/kfguard.js probe runs as a user runs it (needs npm run build)', async () => {
    const open = await serve({ products: ['ollama'] });
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'probe', open.url, '--no-color'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1, stdout);
    assert.match(stdout, /HIGH {2}ml-service-exposed/);
  });
});

describe('TLS and proxy', () => {
  test('HTTPS with a self-signed certificate: an error without --ca, verified with --ca, accepted with --insecure', async () => {
    const server = await serve({ products: ['vllm'], tls: true });
    const untrusted = await runCli(['probe', server.url, '--format', 'json']);
    assert.equal(untrusted.code, 2);
    assert.equal(JSON.parse(untrusted.stdout).extensions.probedTargets[0].verdict, 'error');
    const caFile = join(dir.path, 'ca.pem');
    writeFileSync(caFile, server.certPem ?? '');
    const withCa = await runCli(['probe', server.url, '--ca', caFile, '--format', 'json']);
    assert.equal(withCa.code, 1);
    assert.equal(JSON.parse(withCa.stdout).extensions.probedTargets[0].verdict, 'open');
    assert.equal((await runCli(['probe', server.url, '--insecure'])).code, 1);
    const notPem = join(dir.path, 'not.pem');
    writeFileSync(notPem, 'hello');
    assert.match((await runCli(['probe', server.url, '--ca', notPem])).stderr, /no PEM certificate/);
  });

  test('--proxy sends every request through the proxy', async () => {
    const target = await serve({ products: ['mlflow'] });
    const tunnels: string[] = [];
    const proxy: Server = createServer();
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const run = await runCli(['probe', target.url, '--proxy', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`]);
      assert.equal(run.code, 1, run.stderr);
      assert.ok(tunnels.length > 0 && tunnels.every((t) => t === new URL(target.url).host), JSON.stringify(tunnels));
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  test('--header is sent (e.g. a Host header for a gateway that routes by host)', async () => {
    const server = await serve({ products: ['ollama'] });
    await runCli(['probe', server.url, '--header', 'X-Probe-Run: ci-42']);
    assert.ok(server.requests.length > 0 && server.requests.every((r) => r.headers['x-probe-run'] === 'ci-42'));
  });
});

describe('report formats', () => {
  test('every format renders probe results, and the text lists each target with its verdict', async () => {
    const open = await serve({ products: ['kubeflow-dashboard', 'kfp'] });
    const closed = await serve({ products: ['kubeflow-dashboard'], gateway: 'oauth2-proxy' });
    for (const format of Object.keys(FORMATTERS)) {
      const run = await runCli(['probe', open.url, closed.url, '--format', format]);
      assert.equal(run.code, 1, `${format}: ${run.stderr}`);
      assert.ok(run.stdout.includes('kubeflow-dashboard-exposed'), `${format} lacks the rule id`);
      // The per-target table: the protected target has no finding, so only the table names it.
      // Markdown and GitLab break every URL's autolink (`http[:]//`): text from input must not become a link.
      const forms = [closed.url, closed.url.replace('://', '[:]//'), closed.url.replace('://', '&#91;:&#93;//')];
      assert.ok(forms.some((form) => run.stdout.includes(form)), `${format} does not list the protected target`);
      if (format === 'markdown') assert.ok(!run.stdout.includes(closed.url), 'markdown leaves a URL to autolink');
      // JUnit says it by outcome: a passing testcase named by the URL, the open one a failure.
      if (format === 'junit') assert.match(run.stdout, new RegExp(`<testcase name="${closed.url.replace(/[./]/g, '\\$&')}" classname="kfguard.kfguard-probe" time="0"/>`));
      else assert.match(run.stdout, /protected/, `${format} does not give the protected verdict`);
    }
    const text = (await runCli(['probe', open.url, closed.url])).stdout;
    assert.match(text, new RegExp(`OPEN ${open.url.replace(/[./]/g, '\\$&')}`));
    assert.match(text, new RegExp(`protected ${closed.url.replace(/[./]/g, '\\$&')}`));
    const sarif = JSON.parse((await runCli(['probe', open.url, '--format', 'sarif'])).stdout);
    assert.ok(sarif.runs[0].results.length >= 2);
    assert.equal(sarif.runs[0].invocations[0].properties.probedTargets[0].verdict, 'open');
  });

  test('the text report sums up the rules a probe cannot judge in one line', async () => {
    const open = await serve({ products: ['ollama'] });
    const text = (await runCli(['probe', open.url, '--no-color'])).stdout;
    const notEvaluated = text.split('\n').filter((line) => /not evaluated|Not evaluated/.test(line));
    assert.equal(notEvaluated.length, 1, notEvaluated.join('\n'));
    assert.match(notEvaluated[0] ?? '', /^Not evaluated: \d+ rules on probe: .*--format json lists them/);
  });
});

describe('--from-scan: the door a scan found', () => {
  test('a LoadBalancer address from a scanned manifest is probed, and the finding names the Service and its line', async () => {
    const dashboard = await serve({ products: ['kubeflow-dashboard'] });
    const port = new URL(dashboard.url).port;
    const scanDir = tempDir('kfguard-probe-scan-');
    try {
      writeFileSync(join(scanDir.path, 'svc.yaml'), SERVICE_MANIFEST(port));
      const scan = await runCli(['scan', 'svc.yaml', '--format', 'json=report.json', '--category', 'exposure'], { cwd: scanDir.path });
      assert.equal(scan.code, 1, scan.stderr);
      const run = await runCli(['probe', '--from-scan', 'report.json', '--format', 'json'], { cwd: scanDir.path });
      assert.equal(run.code, 1, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.equal(report.extensions.probedTargets[0].url, `http://127.0.0.1:${port}/`);
      const finding = report.findings.find((f: { ruleId: string }) => f.ruleId === 'kubeflow-dashboard-exposed');
      assert.deepEqual(finding.resource, { apiVersion: 'v1', kind: 'Service', namespace: 'kubeflow', name: 'centraldashboard' });
      assert.deepEqual(finding.location, { file: 'svc.yaml', line: 7, column: 3 });
      assert.equal(finding.source, 'probe');
      assert.ok(finding.evidence.some((e: string) => /door opened by Service kubeflow\/centraldashboard \(address 127\.0\.0\.1, port \d+\)/.test(e)), finding.evidence.join('\n'));
    } finally {
      scanDir.cleanup();
    }
  });

  test('a report that is not kfguard JSON is an input error naming the file', async () => {
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const run = await runCli(['probe', '--from-scan', bad]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad\.json: not a kfguard JSON report/);
  });

  test('a manifest LoadBalancer with no address is named in a warning, not silently dropped', async () => {
    const scanDir = tempDir('kfguard-probe-scan-');
    try {
      writeFileSync(join(scanDir.path, 'svc.yaml'), SERVICE_MANIFEST('80').replace(/status:[\s\S]*?---/, '---'));
      await runCli(['scan', 'svc.yaml', '--format', 'json=report.json', '--category', 'exposure'], { cwd: scanDir.path });
      const run = await runCli(['probe', '--from-scan', 'report.json', '--format', 'json'], { cwd: scanDir.path });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(JSON.parse(run.stdout).warnings.some((w: string) => /centraldashboard: a LoadBalancer with no address/.test(w)));
    } finally {
      scanDir.cleanup();
    }
  });
});

const SERVICE_MANIFEST = (port: string): string => `apiVersion: v1
kind: Service
metadata:
  name: centraldashboard
  namespace: kubeflow
spec:
  type: LoadBalancer
  selector:
    app: centraldashboard
  ports:
    - name: http
      port: ${port}
      targetPort: 8082
status:
  loadBalancer:
    ingress:
      - ip: 127.0.0.1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: centraldashboard
  namespace: kubeflow
spec:
  selector:
    matchLabels:
      app: centraldashboard
  template:
    metadata:
      labels:
        app: centraldashboard
    spec:
      containers:
        - name: centraldashboard
          image: ghcr.io/kubeflow/kubeflow/central-dashboard:v1.9.0
`;

describe('--from-scan: every rule\'s findings lead to their doors', () => {
  test('Ray and MLflow findings (authentication rules) lead to the Services that reach them, which are probed and named', async () => {
    const ray = await serve({ products: ['ray'] });
    const mlflow = await serve({ products: ['mlflow'] });
    const scanDir = tempDir('kfguard-probe-scan-');
    try {
      writeFileSync(join(scanDir.path, 'ray.yaml'), RAY_AND_MLFLOW(new URL(ray.url).port, new URL(mlflow.url).port));
      // Only the authentication rules: the report holds no exposure-category finding at all.
      const scan = await runCli(['scan', 'ray.yaml', '--format', 'json=report.json', '--category', 'authentication'], { cwd: scanDir.path });
      assert.equal(scan.code, 1, scan.stderr);
      const scanned = JSON.parse(readFileSync(join(scanDir.path, 'report.json'), 'utf8'));
      assert.deepEqual([...new Set(scanned.findings.map((f: { category: string }) => f.category))], ['authentication']);
      const run = await runCli(['probe', '--from-scan', 'report.json', '--format', 'json'], { cwd: scanDir.path });
      assert.equal(run.code, 1, run.stderr);
      const report = JSON.parse(run.stdout);
      const verdicts = Object.fromEntries(report.extensions.probedTargets.map((t: { url: string; verdict: string }) => [t.url, t.verdict]));
      assert.deepEqual(verdicts, { [ray.url]: 'open', [mlflow.url]: 'open' });
      const rayFinding = report.findings.find((f: { ruleId: string }) => f.ruleId === 'ray-dashboard-no-auth');
      assert.deepEqual(rayFinding?.resource, { apiVersion: 'v1', kind: 'Service', namespace: 'ray', name: 'raycluster-kuberay-head-svc' });
      assert.ok(rayFinding.evidence.some((e: string) => /door opened by Service ray\/raycluster-kuberay-head-svc .*reaching RayCluster ray\/raycluster-kuberay\), reported by ray-dashboard-no-auth/.test(e)), rayFinding.evidence.join('\n'));
      const mlflowFinding = report.findings.find((f: { ruleId: string }) => f.ruleId === 'ml-tracking-server-exposed');
      assert.equal(mlflowFinding?.resource.name, 'mlflow');
      assert.equal(mlflowFinding?.resource.kind, 'Service');
    } finally {
      scanDir.cleanup();
    }
  });
});

const RAY_AND_MLFLOW = (rayPort: string, mlflowPort: string): string => `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: raycluster-kuberay
  namespace: ray
spec:
  headGroupSpec:
    rayStartParams: {}
    template:
      spec:
        containers:
          - name: ray-head
            image: rayproject/ray:2.9.3
---
apiVersion: v1
kind: Service
metadata:
  name: raycluster-kuberay-head-svc
  namespace: ray
spec:
  type: LoadBalancer
  selector:
    ray.io/cluster: raycluster-kuberay
    ray.io/node-type: head
  ports:
    - name: dashboard
      port: ${rayPort}
      targetPort: 8265
status:
  loadBalancer:
    ingress:
      - ip: 127.0.0.1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mlflow
  namespace: mlops
spec:
  selector:
    matchLabels:
      app: mlflow
  template:
    metadata:
      labels:
        app: mlflow
    spec:
      containers:
        - name: mlflow
          image: ghcr.io/mlflow/mlflow:v2.16.0
          command: [mlflow, server, --host, 0.0.0.0]
---
apiVersion: v1
kind: Service
metadata:
  name: mlflow
  namespace: mlops
spec:
  type: LoadBalancer
  selector:
    app: mlflow
  ports:
    - name: http
      port: ${mlflowPort}
      targetPort: 5000
status:
  loadBalancer:
    ingress:
      - ip: 127.0.0.1
`;
