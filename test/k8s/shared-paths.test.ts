import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinPath } from '../../src/core/path.js';
import type { K8sObject } from '../../src/core/types.js';
import { SHARED_PATHS_CAP, sharedPath, sharedPathCount } from '../../src/k8s/shared-paths.js';
import { containersOf } from '../../src/k8s/workloads.js';

/**
 * `containersOf` shares one copy of each container and pod-spec path (src/k8s/shared-paths.ts).
 * These tests fail when a shared path differs from the one built afresh, when the table grows per
 * object rather than per distinct path, or when it grows past its cap (a `watch` lives for weeks).
 */

const pod = (name: string, containers: number): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns' },
  spec: { containers: Array.from({ length: containers }, (_, i) => ({ name: `c${i}`, image: 'alpine:3.19' })) },
});

describe('shared container paths', () => {
  it('are the paths built afresh, quoted keys included', () => {
    assert.equal(sharedPath('spec', 'containers', 0), 'spec.containers[0]');
    assert.equal(sharedPath('spec.template.spec', 'initContainers', 2), 'spec.template.spec.initContainers[2]');
    assert.equal(sharedPath('', 'a.b', 1), joinPath('', 'a.b', 1));
    assert.equal(sharedPath('spec', 'my key'), joinPath('spec', 'my key'));
  });

  it('grow with distinct paths, not with objects', () => {
    containersOf(pod('first', 2));
    const before = sharedPathCount();
    assert.ok(before >= 2, 'containersOf shares its paths');
    for (let i = 0; i < 500; i++) {
      const refs = containersOf(pod(`p${i}`, 2));
      assert.deepEqual(refs.map((ref) => [ref.path, ref.holder.path]), [
        ['spec.containers[0]', 'spec'],
        ['spec.containers[1]', 'spec'],
      ]);
    }
    assert.equal(sharedPathCount(), before);
  });

  it('stop growing at the cap, and paths past it are still right', () => {
    const wide = pod('wide', SHARED_PATHS_CAP + 50);
    const refs = containersOf(wide);
    assert.equal(refs.length, SHARED_PATHS_CAP + 50);
    assert.equal(refs[SHARED_PATHS_CAP + 49]!.path, `spec.containers[${SHARED_PATHS_CAP + 49}]`);
    assert.ok(sharedPathCount() <= SHARED_PATHS_CAP, `${sharedPathCount()} shared paths`);
    assert.equal(sharedPath('spec', 'containers', SHARED_PATHS_CAP * 3), `spec.containers[${SHARED_PATHS_CAP * 3}]`);
  });
});
