import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fixerFor } from '../../src/fix/registry.js';
import { DEFAULT_FIX_OPTIONS } from '../../src/fix/types.js';
import { ALL_RULES, ruleById } from '../../src/rules/index.js';
import { splitDocuments } from '../../src/sources/yaml-documents.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { describeFindings, fixFiles, readText, scanFindings, tempDir, unexplainedFindings, writeText } from './fix-harness.js';
import { validateFixedFile } from './k8s-schemas.js';

const AUTH_CHAIN = /^ {2}name: (istio-ingressgateway-oauth2-proxy|istio-ingressgateway-require-jwt|dex-jwt)$/m;
const isGatewayService = (source: string): boolean =>
  /^kind: Service$/m.test(source) && source.includes('\n  name: istio-ingressgateway\n  namespace: istio-system\n');

/** The stock install as the 2020/2021 victims ran it: gateway on a LoadBalancer, no oauth2-proxy chain. */
function exposedStockInstall(): string {
  const text = readFileSync(sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml'), 'utf8');
  let gatewaySwitched = 0;
  const chunks = splitDocuments(text).map((chunk) => {
    const source = text.slice(chunk.start, chunk.end);
    if (AUTH_CHAIN.test(source)) return '';
    if (!isGatewayService(source)) return source;
    gatewaySwitched++;
    return source.replace(/^ {2}type: ClusterIP$/m, '  type: LoadBalancer');
  });
  assert.equal(gatewaySwitched, 1, 'the stock install must hold exactly one istio-ingressgateway Service');
  return chunks.join('');
}

describe('fix on the corpus', requiresShared(), () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  const rule = ruleById('kubeflow-dashboard-exposed');

  for (const keepLoadBalancer of [false, true]) {
    test(`stock install with an exposed gateway rescans clean (keep load balancer: ${keepLoadBalancer})`, { skip: rule ? false : 'kubeflow-dashboard-exposed not registered' }, async () => {
      assert.ok(rule);
      const file = join(dir.path, `stock-${keepLoadBalancer}.yaml`);
      const original = exposedStockInstall();
      writeText(file, original);
      const before = await scanFindings(dir.path, [file], [rule]);
      assert.ok(before.some((f) => f.severity === 'critical'), `the variant must be critically exposed:\n${describeFindings(before)}`);
      const result = await fixFiles(dir.path, [file], [rule], { fixOptions: { ...DEFAULT_FIX_OPTIONS, keepLoadBalancer } });
      assert.deepEqual(result.unfixable.map((u) => u.reason), []);
      const afterFix = await scanFindings(dir.path, [file], [rule]);
      assert.equal(afterFix.length, 0, describeFindings(afterFix));
      const fixed = readText(file);
      assert.deepEqual(validateFixedFile(original, fixed), []);
      const originalLines = original.split('\n');
      const fixedLines = fixed.split('\n');
      const changedLines = fixedLines.filter((line, i) => line !== originalLines[i]).length;
      assert.ok(fixed.startsWith(original.slice(0, original.indexOf('name: istio-ingressgateway\n  namespace: istio-system\nspec:'))), 'text before the gateway must be untouched');
      assert.ok(changedLines < 200 || keepLoadBalancer, `only the gateway and the appended chain may change (changed ${changedLines} of ${originalLines.length} lines)`);
    });
  }

  const fixable = ALL_RULES.filter((r) => fixerFor(r.meta.id) !== undefined);
  let wildFixed = 0;
  const wildDir = sharedPath('corpus', 'wild');
  for (const name of requiresShared().skip ? [] : readdirSync(wildDir).filter((n) => n.endsWith('.yaml'))) {
    test(`wild: ${name}`, async () => {
      const file = join(dir.path, name);
      const original = readFileSync(join(wildDir, name), 'utf8');
      writeText(file, original);
      const before = await scanFindings(dir.path, [file], fixable);
      const result = await fixFiles(dir.path, [file], fixable);
      const afterFix = await scanFindings(dir.path, [file], fixable);
      wildFixed += before.length - afterFix.length;
      const unexplained = unexplainedFindings(afterFix, result);
      assert.equal(unexplained.length, 0, `a fix did not fix:\n${describeFindings(unexplained)}`);
      assert.deepEqual(validateFixedFile(original, readText(file)), []);
    });
  }

  test('fixes on the wild files clear findings, not nothing', () => {
    assert.ok(wildFixed >= 10, `only ${wildFixed} findings cleared across the wild corpus`);
  });
});
