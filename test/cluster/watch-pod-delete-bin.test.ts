// A LoadBalancer Service whose only backing Pod runs the Kubeflow dashboard is exposed; once that
// Pod is deleted nothing stands behind the door, and `kfguard watch` must re-judge the Service
// within 2 s of the delete (its finding resolved or changed), with a full evaluation 600 s away:
// the delete itself re-judged the Service that read the Pod. The built binary against the fake API
// server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfYaml, serve, waitFor, type ServedCluster } from './helpers.js';

const IMAGE = 'docker.io/kubeflownotebookswg/centraldashboard:v1.9.0';
const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: door, namespace: kubeflow}
spec: {type: LoadBalancer, selector: {app: lone-dashboard}, ports: [{port: 80, targetPort: 8082}]}`;
const POD = `apiVersion: v1
kind: Pod
metadata: {name: lone-dashboard, namespace: kubeflow, labels: {app: lone-dashboard}}
spec: {containers: [{name: dashboard, image: "${IMAGE}", ports: [{containerPort: 8082}]}]}`;

interface Line {
  kind: string;
  state: string;
  finding?: { ruleId: string; severity: string; message: string; resource: { kind: string; name: string } };
}

describe('watch: the only Pod behind an exposed Service deleted (built binary, fake API server)', () => {
  let cluster: ServedCluster;
  let pending = '';
  let stderr = '';
  let child: ReturnType<typeof spawn>;
  const records: { at: number; line: Line }[] = [];

  before(async () => {
    cluster = await serve({ objects: objectsOfYaml([SERVICE, POD].join('\n---\n')) });
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', '--kubeconfig', cluster.kubeconfig, '--resync', '600'], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) records.push({ at: Date.now(), line: JSON.parse(line) as Line });
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await waitFor(() => stderr.includes('synced:'), 30_000, `sync (stderr: ${stderr})`);
  });

  after(async () => {
    child.kill('SIGKILL');
    await cluster.close();
  });

  const onDoor = (line: Line): boolean => line.kind === 'finding' && line.finding?.ruleId === 'kubeflow-dashboard-exposed' && line.finding.resource.kind === 'Service' && line.finding.resource.name === 'door';

  test('the exposure through the deleted Pod is re-judged within 2 s of the delete', async () => {
    const opened = records.find(({ line }) => onDoor(line) && line.state === 'open');
    assert.ok(opened, `the Service is exposed before the delete (records: ${JSON.stringify(records.map((r) => r.line))})`);
    const seen = records.length;
    const deleted = Date.now();
    cluster.server.remove(objectsOfYaml(POD)[0]!);
    const rejudged = (): { at: number; line: Line } | undefined => records.slice(seen).find(({ line }) => onDoor(line) && (line.state === 'resolved' || line.state === 'changed'));
    await waitFor(() => rejudged() !== undefined, 10_000, `the Service's finding resolved or changed (stderr: ${stderr})`);
    const latency = rejudged()!.at - deleted;
    assert.ok(latency < 2_000, `re-judged ${latency} ms after the delete`);
    // What the delete leaves must be what a full evaluation gives on the cluster without the Pod.
    const line = rejudged()!.line;
    if (line.state === 'changed') assert.doesNotMatch(line.finding!.message, /lone-dashboard/);
  });
});
