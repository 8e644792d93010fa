// The live-cluster suite's own plumbing: the kind script runs exactly the files that declare
// themselves portable, and what the real-server helper makes or refuses before it touches a server.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfYaml } from './helpers.js';
import { refuseNodeName } from './live-cluster.js';
import { kindScriptFiles, portableFiles } from './portable-files.js';
import { stubCrds } from './stub-crds.js';

describe('the portable live-cluster suite', () => {
  test('scripts/kind-e2e.sh runs exactly the test files marked portable', () => {
    const marked = portableFiles();
    assert.ok(marked.includes('test/cluster/parity.test.ts') && marked.includes('test/cluster/watch-bin.test.ts'), `marked: ${marked.join(', ')}`);
    assert.deepEqual(kindScriptFiles(), marked);
    for (const file of marked) assert.ok(existsSync(join(REPO_ROOT, file)), file);
  });

  test('the script list is read as bash would read the array, and its absence is an error', () => {
    assert.deepEqual(kindScriptFiles('x=1\nPORTABLE_FILES=(\n  b.ts \\\n  a.ts\n)\n'), ['a.ts', 'b.ts']);
    assert.throws(() => kindScriptFiles('FILES=(a.ts)\n'), /no PORTABLE_FILES/);
  });

  test('stub CRDs: one per group and kind, every version served, one stored, scope from the namespace', () => {
    const objects = objectsOfYaml(`apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: a, namespace: kubeflow}
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: b, namespace: kubeflow}
---
apiVersion: example.com/v1
kind: Policy
metadata: {name: c}
---
apiVersion: example.com/v1
kind: Policy
metadata: {name: d}`);
    const crds = stubCrds(objects, () => false);
    assert.deepEqual(crds.map((c) => c.metadata?.name), ['virtualservices.networking.istio.io', 'policies.example.com']);
    const vs = crds[0]!.spec as { scope: string; versions: { name: string; served: boolean; storage: boolean }[] };
    assert.equal(vs.scope, 'Namespaced');
    assert.deepEqual(vs.versions.map((v) => [v.name, v.served, v.storage]), [['v1alpha3', true, true], ['v1beta1', true, false]]);
    assert.equal((crds[1]!.spec as { scope: string }).scope, 'Cluster');
    assert.deepEqual(stubCrds(objects, (group) => group === 'example.com').map((c) => c.metadata?.name), ['virtualservices.networking.istio.io']);
    assert.throws(() => stubCrds(objectsOfYaml('apiVersion: v1\nkind: Widget\nmetadata: {name: w}'), () => false), /core kind Widget/);
  });

  test('an object that names a node is refused: it would skip the stopped scheduler and run', () => {
    const [deployment] = objectsOfYaml(`apiVersion: apps/v1
kind: Deployment
metadata: {name: farm, namespace: team-a}
spec: {template: {spec: {nodeName: kind-control-plane, containers: [{name: c, image: xmrig/xmrig}]}}}`);
    assert.throws(() => refuseNodeName(deployment!), /names a node/);
    const [pod] = objectsOfYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, image: nginx}]}');
    assert.doesNotThrow(() => refuseNodeName(pod!));
  });
});
