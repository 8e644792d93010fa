import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { ruleMatches } from '../../src/core/engine.js';
import { Snapshot } from '../../src/core/snapshot.js';
import type { ScannedObject } from '../../src/core/types.js';
import { analyzeExposure } from '../../src/exposure/analysis.js';
import { ENTRY_KINDS, mayFaceOutside } from '../../src/exposure/entry-points.js';
import { podLabelsOf } from '../../src/k8s/inventory.js';
import kubeflowDashboardExposed from '../../src/rules/exposure/kubeflow-dashboard-exposed.rule.js';
import { loadFixtures } from '../../src/testing/rule-tester.js';

/**
 * Rules skip the exposure analysis for objects `mayFaceOutside` rejects, so an entry of any other
 * kind would be a silent miss: every entry the analysis makes, over every exposure-related fixture,
 * must be of a listed kind.
 */
describe('exposure entry kinds', () => {
  const ruleIds = ['kubeflow-dashboard-exposed', 'ml-service-exposed', 'ray-dashboard-no-auth', 'ml-tracking-server-exposed', 'kfp-single-user-exposed'];
  it('cover every entry the analysis makes on the exposure fixtures', () => {
    let entries = 0;
    for (const id of ruleIds) {
      const { pass, fail } = loadFixtures(id);
      for (const fixture of [...pass, ...fail]) {
        const objects: ScannedObject[] = [...(fixture.snapshot ?? []), ...fixture.objects].map((object, i) => ({
          object,
          origin: { kind: 'file', reader: 'file', file: `fixture-${i}.yaml`, documentIndex: 0 },
        }));
        for (const exposure of analyzeExposure(Snapshot.of(objects, podLabelsOf), DEFAULT_CONFIG.lists).all) {
          entries++;
          const entry = exposure.entry.object;
          assert.ok(mayFaceOutside(entry), `${id} "${fixture.name}": entry ${entry.kind} is not in ENTRY_KINDS`);
          assert.ok(ruleMatches(kubeflowDashboardExposed, entry), `${id} "${fixture.name}": entry ${entry.apiVersion} ${entry.kind} is not matched by the exposure rules`);
        }
      }
    }
    assert.ok(entries > 50, `expected many exposures across the fixtures, got ${entries}`);
  });

  it('reject objects that are never entries', () => {
    assert.equal(mayFaceOutside({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }), false);
    assert.equal(mayFaceOutside({ apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'r' } }), false);
    assert.ok(ENTRY_KINDS.some((m) => m.kinds !== '*' && m.kinds.includes('HTTPRoute')));
  });
});
