import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileOrigin, K8sObject } from '../../src/core/types.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { documentToObjects } from '../../src/sources/documents-to-objects.js';
import { foldGoJsonKeys } from '../../src/sources/go-json-fold.js';
import { runCase } from '../../src/testing/rule-tester.js';

/**
 * KFP v1 decodes pipeline packages (Argo workflows) with Go's encoding/json, which matches keys to
 * struct fields case-insensitively: each spelling below runs the miner, so each must be found.
 */

const ORIGIN: FileOrigin = { kind: 'file', reader: 'file', file: 'p.yaml', documentIndex: 0, line: 1 };
const MINER = ['/tmp/xmrig', '-o', 'stratum+tcp://pool.example.com:3333'];

function workflow(template: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'p' }, spec: { entrypoint: 't', templates: [{ name: 't', ...template }] }, ...top };
}

function minerFindings(document: Record<string, unknown>): string[] {
  const objects = documentToObjects(document, ORIGIN).objects.map((o) => o.object as K8sObject);
  return runCase(cryptoMinerWorkload, { name: 'kfp-v1', objects }).map((f) => f.path ?? '');
}

describe('KFP v1 packages are read with Go encoding/json key matching', () => {
  const CASES: readonly [string, Record<string, unknown>][] = [
    ['Container', workflow({ Container: { image: 'alpine', command: MINER } })],
    ['Command', workflow({ container: { image: 'alpine', Command: MINER } })],
    ['Image', workflow({ container: { Image: 'alpine', command: MINER } })],
    ['Args', workflow({ container: { image: 'alpine', ARGS: MINER } })],
    ['Script and Source', workflow({ Script: { image: 'alpine', command: ['sh'], Source: MINER.join(' ') } })],
    ['Templates', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'p' }, spec: { Templates: [{ name: 't', container: { image: 'alpine', command: MINER } }] } }],
    ['Spec', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'p' }, Spec: { templates: [{ name: 't', container: { image: 'alpine', command: MINER } }] } }],
    ['Kind and ApiVersion', { ApiVersion: 'argoproj.io/v1alpha1', Kind: 'Workflow', metadata: { name: 'p' }, spec: { templates: [{ name: 't', container: { image: 'alpine', command: MINER } }] } }],
    ['Unicode folding (long s in ſcript)', workflow({ ſcript: { image: 'alpine', command: ['sh'], source: MINER.join(' ') } })],
  ];
  for (const [key, document] of CASES) {
    it(key, () => assert.equal(minerFindings(document).length, 1));
  }

  it('two spellings of one field: the key sorting last in byte order wins, as after sigs.k8s.io/yaml', () => {
    assert.deepEqual(minerFindings(workflow({ container: { image: 'alpine', command: MINER, Command: ['sleep', '1'] } })).length, 1);
    assert.deepEqual(minerFindings(workflow({ container: { image: 'alpine', command: ['sleep', '1'], Command: MINER } })), []);
  });

  it('records under two spellings are merged, as Go decodes both into one struct', () => {
    const folded = foldGoJsonKeys({ Container: { image: 'alpine' }, container: { command: MINER } }, { fields: new Set(['container', 'image', 'command']), opaque: new Set() });
    assert.deepEqual(folded, { container: { image: 'alpine', command: MINER } });
  });

  it('leaves map keys (annotations) and non-workflow documents alone', () => {
    const doc = workflow({ container: { image: 'alpine' } }, { metadata: { name: 'p', annotations: { Image: 'x', image: 'y' } } });
    const object = documentToObjects(doc, ORIGIN).objects[0]?.object;
    assert.deepEqual(object?.metadata?.annotations, { Image: 'x', image: 'y' });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', Image: 'alpine', command: MINER }] } };
    assert.equal(documentToObjects(pod, ORIGIN).objects[0]?.object, pod);
  });
});
