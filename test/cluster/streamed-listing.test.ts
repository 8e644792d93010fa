// The cluster source yields each list's pages as they arrive, while later pages and lists are still
// being read. Differential: the snapshot it fills (order included) and the findings must be those of
// awaiting every list first and putting the objects in, list by list, as before.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { runRules } from '../../src/core/engine.js';
import { identityOf } from '../../src/core/snapshot.js';
import { collect } from '../../src/core/source.js';
import type { K8sObject } from '../../src/core/types.js';
import { buildInventory, newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { ApiClient } from '../../src/sources/cluster/api-client.js';
import { kindsToList } from '../../src/sources/cluster/catalog.js';
import { ClusterSource } from '../../src/sources/cluster/cluster-source.js';
import { connect } from '../../src/sources/cluster/connection.js';
import { discover } from '../../src/sources/cluster/discovery.js';
import { listAll } from '../../src/sources/cluster/list.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfFiles, serve } from './helpers.js';

const EXAMPLES = ['exposed-kubeflow/istio-gateway.yaml', 'compromised-pipeline/miner-pods.yaml'].map((f) => join(REPO_ROOT, 'examples', f));

/** Many pods over several pages next to the examples, so pages of one list interleave with others. */
function cluster(): K8sObject[] {
  const pods = Array.from({ length: 60 }, (_, i): K8sObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p-${i}`, namespace: `ns-${i % 3}`, labels: { app: `a${i % 4}` } },
    spec: { containers: [{ name: 'c', image: i % 7 === 0 ? 'tensorflow/tensorflow:latest' : `registry.example/app:${i}` }] },
  }));
  return [...objectsOfFiles(...EXAMPLES), ...pods];
}

/** The reference: every list awaited (in discovery order), then the objects put into a snapshot. */
async function awaitedFirst(kubeconfig: string, pageSize: number): Promise<K8sObject[]> {
  const connection = await connect({ kubeconfig, env: {} });
  const client = new ApiClient(connection, { retryDelayMs: 1 });
  const { resources } = await discover(client, kindsToList(ALL_RULES), 4);
  const objects: K8sObject[] = [];
  for (const resource of resources) {
    try {
      objects.push(...(await listAll(client, resource, undefined, pageSize)).objects);
    } catch {
      // A refused list is a coverage gap in both.
    }
  }
  return objects;
}

const comparable = (findings: readonly { ruleId: string; fingerprint: string; severity: string }[]): string[] => findings.map((f) => `${f.ruleId}|${f.fingerprint}|${f.severity}`).sort();

for (const [label, options] of [
  ['plain', {}],
  ['a 410 on the pods list and a refused list', { expireContinueOnce: ['pods'], forbidden: ['secrets'] }],
  ['slow answers', { delayMs: 3 }],
] as const) {
  test(`streamed pages give the snapshot and findings of awaiting every list first (${label})`, async () => {
    const served = await serve({ objects: cluster(), ...options });
    try {
      const snapshot = newSnapshot();
      const source = new ClusterSource({ kubeconfig: served.kubeconfig, env: {}, rules: ALL_RULES, namespaces: [], pageSize: 7, client: { retryDelayMs: 1 } });
      const { objects } = await collect([source], snapshot);
      const reference = await awaitedFirst(served.kubeconfig, 7);
      assert.ok(reference.length > 60, 'the reference listed the cluster');
      assert.deepEqual(objects.map((s) => identityOf(s.object)), reference.map(identityOf), 'same objects, same order');
      assert.deepEqual(source.result.objects.map(identityOf), reference.map(identityOf));
      const origin = { kind: 'cluster', context: 'x' } as const;
      const inventory = buildInventory(reference.map((object) => ({ object, origin })));
      const expected = runRules(inventory.all, { rules: ALL_RULES, config: DEFAULT_CONFIG, inventory, podLabelsOf }).findings;
      const actual = runRules(objects, { rules: ALL_RULES, config: DEFAULT_CONFIG, inventory: snapshot, podLabelsOf }).findings;
      assert.ok(expected.some((f) => f.ruleId === 'crypto-miner-workload'), 'the cluster has findings to compare');
      assert.deepEqual(comparable(actual), comparable(expected));
    } finally {
      await served.close();
    }
  });
}
