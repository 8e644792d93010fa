import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { runRules } from '../../src/core/engine.js';
import type { Finding, K8sObject, ScannedObject } from '../../src/core/types.js';
import podPrivileged from '../../src/rules/workload-security/pod-privileged.rule.js';
import { FindingTracker } from '../../src/watch/finding-tracker.js';

/**
 * A finding restated exactly, about the same stored copy, keeps the object the tracker holds (a
 * full evaluation restates every open finding; replacing each made the held one old-generation
 * garbage). Anything else stores the new one: a changed field, or a new copy of the object (the
 * held finding would keep the old copy alive through its judged object).
 */
const pod = (): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'c', image: 'registry.example/app@sha256:' + 'a'.repeat(64), securityContext: { privileged: true } }] },
});
const scannedOf = (object: K8sObject): ScannedObject => ({ object, origin: { kind: 'cluster', context: 'test', resourceVersion: '1' } });
const judge = (scanned: ScannedObject): Finding[] => runRules([scanned], { rules: [podPrivileged], config: DEFAULT_CONFIG }).findings;

describe('finding tracker keeps a finding restated exactly', () => {
  it('keeps the held object for the same judgement of the same copy', () => {
    const scanned = scannedOf(pod());
    const [first] = judge(scanned);
    const [again] = judge(scanned);
    assert.ok(first && again && first !== again);
    const tracker = new FindingTracker();
    assert.equal(tracker.add([first])[0]?.state, 'open');
    assert.equal(tracker.restated(again), first, 'the sliced evaluation swaps in the held one');
    assert.deepEqual(tracker.replaceAll([again]), [], 'no news');
    assert.equal(tracker.findings[0], first, 'the held object stays');
  });

  it('stores the new object when any field differs, or it was judged on another copy', () => {
    const scanned = scannedOf(pod());
    const [first] = judge(scanned);
    const tracker = new FindingTracker();
    tracker.add([first!]);
    const moved: Finding = { ...first!, path: 'spec.containers[0].securityContext' };
    assert.equal(tracker.restated(moved), moved);
    assert.deepEqual(tracker.replaceAll([moved]), [], 'same content for the stream: no news');
    assert.equal(tracker.findings[0], moved, 'but the tracker holds the new object');
    const [onNewCopy] = judge(scannedOf(pod()));
    assert.equal(tracker.restated(onNewCopy!), onNewCopy, 'another copy: not swapped');
    tracker.replaceAll([onNewCopy!]);
    assert.equal(tracker.findings[0], onNewCopy);
  });
});
