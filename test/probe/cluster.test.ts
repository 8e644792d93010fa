// `kfguard probe --cluster`: the exposure rules run over the live cluster (the test-only fake API
// server), and the load balancer addresses of what they flag are probed.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startFakeMlService, type FakeMlService } from '../../src/testing/fake-ml-services/server.js';
import { runCli } from '../helpers/cli.js';
import { objectsOfYaml, serve, type ServedCluster } from '../cluster/helpers.js';

let dashboard: FakeMlService | undefined;
let cluster: ServedCluster | undefined;
after(async () => {
  await dashboard?.close();
  await cluster?.close();
});

test('probe --cluster probes the live LoadBalancer address and names the Service that opened the door', async () => {
  dashboard = await startFakeMlService({ products: ['kubeflow-dashboard'] });
  const port = new URL(dashboard.url).port;
  cluster = await serve({ objects: objectsOfYaml(MANIFESTS(port)) });
  const run = await runCli(['probe', '--cluster', '--kubeconfig', cluster.kubeconfig, '--format', 'json']);
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(report.extensions.probedTargets.map((t: { url: string; verdict: string }) => [t.url, t.verdict]), [[`http://127.0.0.1:${port}/`, 'open']]);
  const finding = report.findings.find((f: { ruleId: string }) => f.ruleId === 'kubeflow-dashboard-exposed');
  assert.equal(finding.resource.kind, 'Service');
  assert.equal(finding.resource.name, 'centraldashboard');
  assert.equal(finding.origin.kind, 'probe');
  assert.ok(finding.evidence.some((e: string) => e.startsWith('door opened by Service kubeflow/centraldashboard')));
  // The cluster was only listed: never written to.
  assert.ok(dashboard.requests.length > 0);
});

test('cluster flags without --cluster are a usage error', async () => {
  const run = await runCli(['probe', 'http://127.0.0.1:9/', '--context', 'prod']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /need --cluster/);
});

const MANIFESTS = (port: string): string => `apiVersion: v1
kind: Namespace
metadata:
  name: kubeflow
---
apiVersion: v1
kind: Service
metadata:
  name: centraldashboard
  namespace: kubeflow
  resourceVersion: "11"
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
