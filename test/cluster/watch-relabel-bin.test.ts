// run-tests: alone
// (Its latency bounds, under 2 s, are wall-clock: the built binary judges in another process.)
// A Pod or a Deployment relabelled so that a LoadBalancer Service now selects the Kubeflow
// dashboard it runs: `kfguard watch` reports the exposure within 2 s of the update, with a full
// evaluation 600 s away, so the update itself re-judged the Service that reads it. The built
// binary against the fake API server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfYaml, serve, waitFor, type ServedCluster } from './helpers.js';

const IMAGE = 'docker.io/kubeflownotebookswg/centraldashboard:v1.9.0';
const lb = (name: string, tier: string): string => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: kubeflow}
spec: {type: LoadBalancer, selector: {tier: ${tier}}, ports: [{port: 80, targetPort: 8082}]}`;
const POD = `apiVersion: v1
kind: Pod
metadata: {name: dashboard-canary, namespace: kubeflow, labels: {app: centraldashboard}}
spec: {containers: [{name: dashboard, image: "${IMAGE}", ports: [{containerPort: 8082}]}]}`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: centraldashboard, namespace: kubeflow}
spec:
  selector: {matchLabels: {app: centraldashboard}}
  template:
    metadata: {labels: {app: centraldashboard}}
    spec: {containers: [{name: dashboard, image: "${IMAGE}", ports: [{containerPort: 8082}]}]}`;

interface Line {
  kind: string;
  state: string;
  finding?: { ruleId: string; resource: { name: string } };
}

describe('watch: relabelled into a Service selector (built binary, fake API server)', () => {
  let cluster: ServedCluster;
  let stdout = '';
  let stderr = '';
  let child: ReturnType<typeof spawn>;
  const opened = new Map<string, number>();

  before(async () => {
    cluster = await serve({ objects: objectsOfYaml([lb('pod-door', 'pod-public'), lb('deploy-door', 'deploy-public'), POD, DEPLOYMENT].join('\n---\n')) });
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', '--kubeconfig', cluster.kubeconfig, '--resync', '600'], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      for (const line of stdout.split('\n').slice(0, -1)) {
        const record = JSON.parse(line) as Line;
        const name = record.finding?.resource.name;
        if (record.kind === 'finding' && record.state === 'open' && record.finding?.ruleId === 'kubeflow-dashboard-exposed' && name && !opened.has(name)) opened.set(name, Date.now());
      }
      stdout = stdout.slice(stdout.lastIndexOf('\n') + 1);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await waitFor(() => stderr.includes('synced:'), 30_000, `sync (stderr: ${stderr})`);
  });

  after(async () => {
    child.kill('SIGKILL');
    await cluster.close();
  });

  const relabelled = async (object: K8sObject, door: string): Promise<void> => {
    assert.equal(opened.has(door), false, `${door} exposed before the relabel`);
    const changed = Date.now();
    cluster.server.update(object);
    await waitFor(() => opened.has(door), 10_000, `kubeflow-dashboard-exposed on ${door} (stderr: ${stderr})`);
    const latency = (opened.get(door) ?? 0) - changed;
    assert.ok(latency < 2_000, `finding ${latency} ms after the relabel`);
  };

  test('a Pod relabelled into the selector', async () => {
    const pod = objectsOfYaml(POD)[0]!;
    await relabelled({ ...pod, metadata: { ...pod.metadata, labels: { app: 'centraldashboard', tier: 'pod-public' } } }, 'pod-door');
  });

  test("a Deployment's pod template relabelled into the selector", async () => {
    const deployment = objectsOfYaml(DEPLOYMENT.replace('labels: {app: centraldashboard}}', 'labels: {app: centraldashboard, tier: deploy-public}}'))[0]!;
    assert.match(JSON.stringify(deployment), /deploy-public/);
    await relabelled(deployment, 'deploy-door');
  });
});
