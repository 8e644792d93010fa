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

test('probe --cluster follows an authentication rule\'s finding (a Ray head) to the live Service that reaches it', async () => {
  const ray = await startFakeMlService({ products: ['ray'] });
  const rayCluster = await serve({ objects: objectsOfYaml(RAY(new URL(ray.url).port)) });
  try {
    const run = await runCli(['probe', '--cluster', '--kubeconfig', rayCluster.kubeconfig, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.extensions.probedTargets.map((t: { url: string; verdict: string }) => [t.url, t.verdict]), [[ray.url, 'open']]);
    const finding = report.findings.find((f: { ruleId: string }) => f.ruleId === 'ray-dashboard-no-auth');
    assert.equal(finding?.resource.name, 'raycluster-kuberay-head-svc');
    assert.match(report.extensions.probedTargets[0].openedBy, /reaching RayCluster ray\/raycluster-kuberay/);
  } finally {
    await ray.close();
    await rayCluster.close();
  }
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

// KubeRay creates `<cluster>-head-svc`; with serviceType LoadBalancer it is the head's door.
const RAY = (port: string): string => `apiVersion: v1
kind: Namespace
metadata:
  name: ray
---
apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: raycluster-kuberay
  namespace: ray
  resourceVersion: "5"
spec:
  headGroupSpec:
    serviceType: LoadBalancer
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
  resourceVersion: "6"
spec:
  type: LoadBalancer
  selector:
    ray.io/cluster: raycluster-kuberay
    ray.io/node-type: head
  ports:
    - name: dashboard
      port: ${port}
      targetPort: 8265
status:
  loadBalancer:
    ingress:
      - ip: 127.0.0.1
`;
