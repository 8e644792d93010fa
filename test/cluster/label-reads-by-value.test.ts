// `reader-visible-change.ts` keeps the Pod label keys rules read by value, outside any selector;
// a Pod update changing only other labels does not re-judge its readers. This test runs every rule
// over every rule fixture and example with recording label maps, and fails when a rule reads a
// label key by key on another object's Pods that the watch would not count as visible.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { isK8sObject } from '../../src/core/object.js';
import { defineRule, type Rule } from '../../src/core/rule.js';
import type { K8sObject } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { loadFixtures } from '../../src/testing/rule-tester.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { podLabelsOf } from '../../src/k8s/inventory.js';
import { unlistedLabelReads } from './label-reads.js';

/** Every case of every rule's fixtures (objects and the snapshot they lie over), and each example file. */
function objectSets(): { name: string; objects: K8sObject[] }[] {
  const sets: { name: string; objects: K8sObject[] }[] = [];
  for (const rule of ALL_RULES) {
    const { pass, fail } = loadFixtures(rule.meta.id);
    for (const fixture of [...pass, ...fail]) sets.push({ name: `${rule.meta.id}: ${fixture.name}`, objects: [...(fixture.snapshot ?? []), ...fixture.objects] });
  }
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
  for (const file of walk(join(REPO_ROOT, 'examples'))) sets.push({ name: file, objects: yaml.loadAll(readFileSync(file, 'utf8')).filter(isK8sObject) });
  return sets;
}

describe('label keys rules read by value are the ones the watch counts (reader-visible-change.ts)', () => {
  test('no rule reads a Pod label of another object by key that a label-only update would not re-judge', () => {
    let recorded = 0;
    const unlisted = new Set<string>();
    for (const { name, objects } of objectSets()) {
      const result = unlistedLabelReads(objects, ALL_RULES);
      recorded += result.recorded;
      for (const read of result.unlisted) unlisted.add(`${read.key} (on ${read.object}, in ${name})`);
    }
    assert.deepEqual([...unlisted], []);
    // The recording works: the exposure rules read the ingress gateway's `istio` label, and selectors read theirs.
    assert.ok(recorded > 0, 'no label read recorded at all');
  });

  test('a rule reading an unlisted label of the Pods behind a Service is caught', () => {
    const sneaky: Rule = defineRule({
      meta: { ...ALL_RULES.find((r) => r.meta.id === 'ml-service-exposed')!.meta, id: 'test-sneaky-label-read' },
      *check(object, ctx) {
        if (object.kind !== 'Service') return;
        for (const pod of ctx.inventory.ofKind('Pod', '')) {
          for (const labels of podLabelsOf(pod.object)) if (labels['sneaky.example/tier'] === 'public') yield { message: 'read', severity: 'low' };
        }
      },
    });
    const objects = yaml.loadAll(`apiVersion: v1
kind: Service
metadata: {name: web, namespace: a}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: nginx}]}`).filter(isK8sObject);
    const { unlisted } = unlistedLabelReads(objects, [sneaky]);
    assert.deepEqual(unlisted, [{ object: 'Pod/a/web-1', key: 'sneaky.example/tier' }]);
    // And the keys it may read are not reported: a selector's (`app`), one read by value (`istio`).
    const listed: Rule = {
      ...sneaky,
      *check(object, ctx) {
        if (object.kind !== 'Service') return;
        for (const pod of ctx.inventory.ofKind('Pod', '')) {
          for (const labels of podLabelsOf(pod.object)) if (labels.app === 'x' || labels.istio === 'ingressgateway') yield { message: 'read', severity: 'low' };
        }
      },
    };
    assert.deepEqual(unlistedLabelReads(objects, [listed]).unlisted, []);
  });
});
