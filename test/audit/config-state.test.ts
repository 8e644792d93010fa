import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigState, type ConfigRef } from '../../src/audit/config-state.js';
import type { K8sObject } from '../../src/core/types.js';

// The hunt skips walking a workload for the ConfigMaps and Secrets it reads while the state is
// empty; that is only sound if an empty state's lookup is empty for every reference.
const cm = (name: string, size = 10): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { script: 'x'.repeat(size) } });
const ref = (name: string): ConfigRef => ({ kind: 'ConfigMap', namespace: 'ns', name });

describe('ConfigState.isEmpty', () => {
  test('is true exactly when a lookup can return nothing, found or forgotten', () => {
    const state = new ConfigState(100);
    const refs = [ref('a'), ref('b'), ref('c')];
    const lookupEmpty = (): boolean => {
      const { found, forgotten } = state.lookup(refs);
      return found.length === 0 && forgotten.length === 0;
    };
    assert.equal(state.isEmpty, true);
    assert.equal(lookupEmpty(), true);
    state.set(ref('a'), cm('a'));
    assert.equal(state.isEmpty, false);
    assert.equal(lookupEmpty(), false);
    state.delete(ref('a'));
    assert.equal(state.isEmpty, true);
    assert.equal(lookupEmpty(), true);
    // Over the byte budget: 'b' is forgotten, and a workload naming it must still hear of it.
    state.set(ref('b'), cm('b', 200));
    assert.equal(state.isEmpty, false);
    assert.equal(state.lookup(refs).forgotten.length, 1);
  });

  test('a forgotten name dropped over its own cap keeps the state non-empty', () => {
    const state = new ConfigState(100, 1);
    state.set(ref('a'), cm('a', 200));
    state.set(ref('b'), cm('b', 200));
    state.delete(ref('b'));
    state.delete(ref('a'));
    assert.equal(state.isEmpty, false);
    assert.equal(state.lookup([ref('z')]).forgotten.length, 1);
  });
});
