import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { analyzeExposure } from '../../src/exposure/analysis.js';
import { newSnapshot } from '../../src/k8s/inventory.js';

/**
 * The exposure analysis is kept across a Pod update no reader can see (a watch's churn), with the
 * new copy in the old one's place; any update a reader can see still rebuilds it.
 */
const scanned = (object: K8sObject): ScannedObject => ({ object, origin: { kind: 'cluster', context: 'test' } });

const service: K8sObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'centraldashboard', namespace: 'kubeflow' },
  spec: { type: 'LoadBalancer', selector: { app: 'centraldashboard' }, ports: [{ port: 80, targetPort: 8082 }] },
};

function pod(labels: Record<string, string>, image = 'docker.io/kubeflownotebookswg/centraldashboard:v1.9.0'): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'centraldashboard-0', namespace: 'kubeflow', labels, resourceVersion: String(Math.random()) },
    spec: { containers: [{ name: 'dashboard', image, ports: [{ containerPort: 8082 }] }] },
  };
}

function setUp(): { snapshot: ReturnType<typeof newSnapshot>; first: ScannedObject } {
  const snapshot = newSnapshot();
  snapshot.upsert(scanned(service));
  const first = scanned(pod({ app: 'centraldashboard', 'pod-template-hash': 'aaaa' }));
  snapshot.upsert(first);
  return { snapshot, first };
}

describe('exposure analysis carried across updates', () => {
  it('keeps the analysis when only an unread label value changed, holding the new copy', () => {
    const { snapshot, first } = setUp();
    const before = analyzeExposure(snapshot, DEFAULT_CONFIG.lists);
    assert.equal(before.reaching(first.object).length, 1, 'the dashboard Pod is reached');
    const second = scanned(pod({ app: 'centraldashboard', 'pod-template-hash': 'bbbb' }));
    snapshot.upsert(second);
    const after = analyzeExposure(snapshot, DEFAULT_CONFIG.lists);
    assert.equal(after, before, 'the same analysis, not rebuilt');
    assert.equal(after.reaching(second.object).length, 1, 'the new copy is reached');
    assert.equal(after.reaching(first.object).length, 0, 'the old copy is no longer held');
    assert.deepEqual(after.all[0]?.backend.workloads, [second], 'the backend holds the new copy');
  });

  it('rebuilds when the update leaves the selector', () => {
    const { snapshot, first } = setUp();
    const before = analyzeExposure(snapshot, DEFAULT_CONFIG.lists);
    assert.equal(before.reaching(first.object).length, 1);
    const moved = scanned(pod({ app: 'elsewhere', 'pod-template-hash': 'aaaa' }));
    snapshot.upsert(moved);
    const after = analyzeExposure(snapshot, DEFAULT_CONFIG.lists);
    assert.notEqual(after, before);
    assert.equal(after.reaching(moved.object).length, 0);
    assert.deepEqual(after.all[0]?.backend.workloads, []);
  });

  it('rebuilds when the content changed (another image)', () => {
    const { snapshot } = setUp();
    const before = analyzeExposure(snapshot, DEFAULT_CONFIG.lists);
    snapshot.upsert(scanned(pod({ app: 'centraldashboard', 'pod-template-hash': 'aaaa' }, 'docker.io/library/nginx:1.27')));
    assert.notEqual(analyzeExposure(snapshot, DEFAULT_CONFIG.lists), before);
  });

  it('gives what a fresh build gives after a run of carried updates', () => {
    const { snapshot } = setUp();
    analyzeExposure(snapshot, DEFAULT_CONFIG.lists);
    let last: ScannedObject | undefined;
    for (let i = 0; i < 20; i++) {
      last = scanned(pod({ app: 'centraldashboard', 'pod-template-hash': `h${i}` }));
      snapshot.upsert(last);
    }
    const carried = analyzeExposure(snapshot, DEFAULT_CONFIG.lists);
    const fresh = newSnapshot();
    for (const s of snapshot.all) fresh.upsert(s);
    const built = analyzeExposure(fresh, DEFAULT_CONFIG.lists);
    assert.notEqual(carried, built);
    assert.deepEqual(carried.all.map((e) => [e.route, e.backend.workloads]), built.all.map((e) => [e.route, e.backend.workloads]));
    assert.equal(carried.reaching(last!.object).length, built.reaching(last!.object).length);
  });
});
