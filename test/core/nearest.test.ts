import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unknownRule } from '../../src/core/select-rules.js';
import { nearestWords } from '../../src/core/nearest.js';

const IDS = ['crypto-miner-workload', 'kubeflow-dashboard-exposed', 'pod-privileged'];

test('a mistyped start of a long rule id suggests the id', () => {
  assert.deepEqual(nearestWords('crypto-minr', IDS), ['crypto-miner-workload']);
  assert.match(unknownRule('crypto-minr', IDS).hint ?? '', /did you mean crypto-miner-workload\?/);
});

test('whole-word typos still rank first, and unrelated words suggest nothing', () => {
  assert.deepEqual(nearestWords('pod-privilegd', IDS), ['pod-privileged']);
  assert.deepEqual(nearestWords('network-policy', IDS), []);
  assert.deepEqual(nearestWords('pod', IDS), [], 'too short to judge by prefix');
});
