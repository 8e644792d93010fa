// The informer must not hold what it listed: a local of its long-running loop kept every listed
// object alive for the life of the watch, so each replaced Pod's first copy was never freed.
// Counted with weak references after full collections, over the fake API server's real wire.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CHANGE_LOG_LENGTH } from '../../src/core/snapshot.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { LiveSnapshot } from '../../src/sources/cluster/live-snapshot.js';
import { objectsOfYaml, serve, waitFor } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PODS = 10;
const pod = (i: number) =>
  objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: p${i}, namespace: team, labels: {rev: "0"}}
spec: {containers: [{name: c, image: nginx}]}`)[0]!;

describe('informer retention', () => {
  test('listed copies are freed once the watch has replaced them past the change log', async () => {
    const cluster = await serve({ objects: Array.from({ length: PODS }, (_, i) => pod(i)), bookmarkIntervalMs: 50 });
    const live = await LiveSnapshot.start({
      kubeconfig: cluster.kubeconfig,
      env: {},
      rules: ALL_RULES.filter((rule) => rule.meta.id === 'crypto-miner-workload'),
      timing: { initialBackoffMs: 5, maxBackoffMs: 20, watchTimeoutSeconds: 30, idleTimeoutMs: 20_000 },
      client: { retryDelayMs: 1 },
    });
    try {
      await live.whenSynced();
      // Weak references made in a function of their own, so no frame of this test holds a copy.
      const listed = ((): WeakRef<object>[] => live.snapshot.ofKind('Pod').map((scanned) => new WeakRef(scanned.object)))();
      assert.equal(listed.length, PODS);
      const rounds = Math.ceil((CHANGE_LOG_LENGTH + PODS) / PODS) + 1;
      for (let round = 1; round <= rounds; round++) {
        for (let i = 0; i < PODS; i++) {
          const stored = cluster.server.get('Pod', 'team', `p${i}`)!;
          cluster.server.update({ ...stored, metadata: { ...stored.metadata, labels: { rev: String(round) } } });
        }
        const want = String(round);
        await waitFor(() => live.snapshot.ofKind('Pod').every((s) => (s.object.metadata?.labels as Record<string, string> | undefined)?.rev === want), 20_000, `round ${round}`);
      }
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      gc();
      const alive = listed.filter((ref) => ref.deref() !== undefined).length;
      assert.equal(alive, 0, `${alive} of ${PODS} listed copies still alive after ${rounds * PODS} changes`);
    } finally {
      await live.stop();
      await cluster.close();
    }
  });
});
