import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { containersOf } from '../../src/k8s/workloads.js';
import { configVolumeNames } from '../../src/threat/config-references.js';

/** The volumes a container hands a program as its `--config` file, for the command lines given. */
function configVolumes(command: string[], args: string[] = []): string[] {
  const pod: K8sObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'alpine:3', command, args, volumeMounts: [{ name: 'worker', mountPath: '/etc/worker/' }, { name: 'other', mountPath: '/opt' }] }] },
  };
  return [...configVolumeNames(containersOf(pod))].sort();
}

describe('config files named on a command line', () => {
  it('reads the flag and its value as separate elements', () => {
    assert.deepEqual(configVolumes(['xmrig', '--config', '/etc/worker/config.json']), ['worker']);
  });
  it('reads a value in the element after a flag that ends an element', () => {
    assert.deepEqual(configVolumes(['sh', '-c', 'exec ./xmrig -c'], ['/etc/worker/c.json and more words']), ['worker']);
  });
  it('reads a joined value inside a script', () => {
    assert.deepEqual(configVolumes(['sh', '-c'], ['cd /tmp; ./w --cfg=/etc/worker/c.json']), ['worker']);
  });
  it('finds nothing where no element holds a config flag', () => {
    assert.deepEqual(configVolumes(['python3', '/etc/worker/train.py'], ['--epochs', '3']), []);
  });
});
