import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../src/core/types.js';
import { loadFixtures } from '../../src/testing/rule-tester.js';
import { requiresShared } from '../../src/testing/shared.js';
import { CelPolicyEvaluator } from '../../src/testing/cel-policy.js';
import { loadIndicatorData } from '../../src/threat/indicators.js';
import { celPatterns, type CelPatterns } from '../../src/vap/cel-patterns.js';
import { generatePolicies, vapManifests, type GeneratedPolicy, type VapOptions } from '../../src/vap/policies.js';
import { schemaErrors } from '../fix/k8s-schemas.js';
import { runCli } from '../helpers/cli.js';

const OPTIONS: VapOptions = { actions: ['Deny'], excludeNamespaces: ['kube-system'] };
const policy = (name: string, options: VapOptions = OPTIONS): GeneratedPolicy => {
  const found = generatePolicies(options).find((p) => p.name === name);
  assert.ok(found, name);
  return found;
};
const pod = (command: string[], image = 'python:3.12'): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ml' },
  spec: { containers: [{ name: 'main', image, command }] },
});

describe('generated policies', () => {
  test('every variable and validation parses and plans on a CEL implementation', () => {
    for (const p of generatePolicies(OPTIONS)) {
      const evaluator = new CelPolicyEvaluator(p);
      assert.equal(evaluator.policy.validations.length > 0, true);
      // An object of a kind none of its positions hold evaluates without errors and is allowed.
      assert.deepEqual(evaluator.evaluate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }), { failed: [], errors: [] });
    }
  });

  test('the patterns come from the indicator data: every pool domain, image and executable is in them', () => {
    const data = loadIndicatorData();
    const patterns = celPatterns();
    const escaped = (v: string): string => v.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const [list, key] of [['poolDomains', 'poolHost'], ['images', 'minerImage'], ['minerBinaries', 'minerBinary'], ['stratumSchemes', 'stratumUrl']] as const) {
      const values = (data[list] ?? []).flatMap((e) => e.values);
      assert.ok(values.length > 3, list);
      for (const value of values) assert.ok(patterns[key as keyof CelPatterns].includes(escaped(value)), `${list} ${value} missing from ${key}`);
    }
  });

  test('a pool domain added in the config reaches the exported policy', () => {
    const object = pod(['sh', '-c', 'run --endpoint pool.private-pool.test:4444']);
    assert.deepEqual(new CelPolicyEvaluator(policy('kfguard-crypto-miner')).evaluate(object).failed, []);
    const extended = new CelPolicyEvaluator(policy('kfguard-crypto-miner', { ...OPTIONS, extensions: { poolDomains: ['private-pool.test'] } }));
    assert.deepEqual(extended.evaluate(object).failed, ['kfguard crypto-miner-workload: a command, argument, env value or script names a mining-pool host']);
  });

  test('each deny validation fires on its own indicator and stays quiet on look-alikes', () => {
    const deny = new CelPolicyEvaluator(policy('kfguard-crypto-miner'));
    const failed = (object: K8sObject): number => deny.evaluate(object).failed.length;
    assert.equal(failed(pod(['run'], 'docker.io/metal3d/xmrig:latest')), 1, 'known image through the Docker Hub prefix');
    assert.equal(failed(pod(['run'], 'ghcr.io/acme/metal3d/xmrig-exporter:1')), 0, 'another repository');
    assert.equal(failed(pod(['./m', '-o', 'stratum+tcp://198.51.100.1:3333'])), 1);
    assert.equal(failed(pod(['echo', 'stratum is a layer', 'stratum+tcp://'])), 0, 'a scheme without a body');
    assert.equal(failed(pod(['./run', '--pool', 'xmr.supportxmr.com:443'])), 1, 'pool host as a flag value');
    assert.equal(failed(pod(['curl', 'https://supportxmr.com/api/miner'])), 0, "a pool's website is left to the webhook");
    assert.equal(failed(pod(['/opt/xmrig', '--donate-level=1'])), 1, 'executable with a miner-only flag');
    assert.equal(failed(pod(['/opt/xmrig', '-o', 'somewhere:1'])), 1, 'executable with a pool flag');
    assert.equal(failed(pod(['pip', 'install', 'xmrig-stats', '-o', 'x'])), 0, 'a package name is not the executable');
    const workflow: K8sObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'w', namespace: 'argo' },
      spec: { templates: [{ name: 'a', container: { image: 'alpine' } }, { name: 'b', sidecars: [{ name: 's', image: 'alpine', args: ['stratum+ssl://203.0.113.9:4444'] }] }] },
    };
    assert.equal(failed(workflow), 1, 'an Argo sidecar of the second template');
  });

  test('an UPDATE of a Service to LoadBalancer warns only for Kubeflow UIs and the Istio gateway', () => {
    const exposure = new CelPolicyEvaluator(policy('kfguard-kubeflow-service-exposed'));
    const service = (name: string, type: string): K8sObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'kubeflow' }, spec: { type } });
    assert.equal(exposure.evaluate(service('istio-ingressgateway', 'LoadBalancer')).failed.length, 1);
    assert.equal(exposure.evaluate(service('centraldashboard', 'NodePort')).failed.length, 1);
    assert.equal(exposure.evaluate(service('centraldashboard', 'ClusterIP')).failed.length, 0);
    assert.equal(exposure.evaluate(service('shop-frontend', 'LoadBalancer')).failed.length, 0);
    assert.equal(exposure.evaluate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'centraldashboard' } }).errors.length, 0, 'no spec is no error');
  });
});

/** cel-go's runtime cost of `text.matches(pattern)` (interpreter/runtimecost.go): string traversal × regex length factors. */
const matchesCost = (text: number, pattern: number): number => Math.ceil(0.1 * (1 + text)) * Math.ceil(0.25 * pattern);
const PER_CALL_LIMIT = 1_000_000;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** An upper bound: every string of the object matched against every pattern the expression names. */
function costBound(expression: string, object: K8sObject, patterns: CelPatterns): number {
  const used = Object.keys(patterns).filter((key) => expression.includes(`variables.${key}`)) as (keyof CelPatterns)[];
  const texts = strings(object);
  return used.reduce((sum, key) => sum + texts.reduce((s, t) => s + matchesCost(t.length, patterns[key].length), 0), 0);
}

describe('CEL cost', () => {
  test('every validation stays under the per-call limit on every fixture object and a 2 KB pipeline Pod', () => {
    const patterns = celPatterns();
    const objects = [...loadFixtures('crypto-miner-workload').fail, ...loadFixtures('crypto-miner-workload').pass].flatMap((c) => c.objects);
    const pipelinePod = pod(['/var/run/argo/argoexec', 'emissary', '--', 'sh', '-c', `python3 -m kfp.dsl.executor_main ${'--executor_input {"inputs":{}} '.repeat(60)}`]);
    assert.ok(JSON.stringify(pipelinePod).length > 2_000);
    let worst = 0;
    for (const p of generatePolicies(OPTIONS)) {
      for (const v of p.validations) for (const object of [...objects, pipelinePod]) worst = Math.max(worst, costBound(v.expression, object, patterns));
    }
    assert.ok(worst > 0 && worst < PER_CALL_LIMIT, `worst cost bound ${worst}`);
  });

  test('a padded object goes over the limit, and every policy fails closed', () => {
    const patterns = celPatterns();
    const padded = pod(['sh', '-c', 'x'.repeat(200_000)]);
    const expression = policy('kfguard-crypto-miner').validations.map((v) => v.expression).join(' ');
    assert.ok(costBound(expression, padded, patterns) > PER_CALL_LIMIT);
    for (const object of vapManifests(OPTIONS).filter((o) => o.kind === 'ValidatingAdmissionPolicy')) {
      assert.equal((object as { spec: { failurePolicy: string } }).spec.failurePolicy, 'Fail');
    }
  });
});

describe('kfguard export vap', () => {
  test('prints policies and bindings that validate against the Kubernetes OpenAPI schema', requiresShared(), async () => {
    const run = await runCli(['export', 'vap']);
    assert.equal(run.code, 0, run.stderr);
    const objects = parseAllDocuments(run.stdout).map((d) => d.toJS() as K8sObject);
    assert.deepEqual(objects.map((o) => o.kind), ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    for (const object of objects) assert.deepEqual(schemaErrors(object), [], `${object.kind} ${object.metadata?.name}`);
    assert.deepEqual(objects, vapManifests(OPTIONS));
  });

  test('--mode and --exclude-namespace set the bindings; a bad mode is a usage error', async () => {
    const run = await runCli(['export', 'vap', '--mode', 'warn', '--exclude-namespace', 'kube-system', '--exclude-namespace', 'kfguard']);
    assert.equal(run.code, 0, run.stderr);
    const bindings = parseAllDocuments(run.stdout).map((d) => d.toJS()).filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
    const miner = bindings.find((b) => b.metadata.name === 'kfguard-crypto-miner');
    assert.deepEqual(miner.spec.validationActions, ['Warn', 'Audit']);
    assert.deepEqual(miner.spec.matchResources.namespaceSelector.matchExpressions[0].values, ['kube-system', 'kfguard']);
    const bad = await runCli(['export', 'vap', '--mode', 'block']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid --mode "block"/);
  });
});
