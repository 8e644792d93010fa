import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { containersOf } from '../../src/k8s/workloads.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { locate } from '../../src/sources/locate.js';
import { recognizeKfpPipelineSpec, recognizeKfpPlatformSpec } from '../../src/sources/recognizers.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

describe('KFP v2 recognizers', () => {
  it('leave Kubernetes objects and unrelated documents alone', () => {
    assert.equal(recognizeKfpPipelineSpec({ apiVersion: 'v1', kind: 'Pod', deploymentSpec: { executors: {} } }, {}), undefined);
    assert.equal(recognizeKfpPipelineSpec({ swagger: '2.0', paths: {} }, {}), undefined);
    assert.equal(recognizeKfpPlatformSpec({ platforms: 'kubernetes' }, {}), undefined);
  });

  it('keep the document fields at the top level', () => {
    const ir = { pipelineInfo: { name: 'p' }, root: {}, deploymentSpec: { executors: {} } };
    const object = recognizeKfpPipelineSpec(ir, {});
    assert.equal(object?.kind, 'PipelineSpec');
    assert.equal(object?.metadata?.name, 'p');
    assert.equal(object?.deploymentSpec, ir.deploymentSpec);
  });
});

describe('KFP v2 IR samples', requiresShared(), () => {
  const dir = sharedPath('schemas', 'kfp-api', 'pipeline-spec-ir');

  it('every sample becomes a PipelineSpec whose executor paths point at real lines', async () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    const collected = await collectManifests({ paths: [dir], cwd: dir, readStdin: () => Promise.resolve(Buffer.alloc(0)) });
    assert.deepEqual(collected.errors, []);
    const specs = collected.objects.filter((o) => o.object.kind === 'PipelineSpec');
    assert.equal(specs.length, files.length);
    for (const scanned of specs) {
      const containers = containersOf(scanned.object);
      assert.ok(containers.length > 0, `${scanned.origin.file}: no executor containers`);
      const location = locate(scanned.origin, `${containers[0]!.path}.image`);
      const lines = readFileSync(sharedPath('schemas', 'kfp-api', 'pipeline-spec-ir', location!.file), 'utf8').split('\n');
      assert.match(lines[location!.line - 1] ?? '', /^\s*image: /, `${location?.file}:${location?.line}`);
    }
  });

  it('the platform documents are recognised too', async () => {
    const collected = await collectManifests({ paths: [dir], cwd: dir, readStdin: () => Promise.resolve(Buffer.alloc(0)) });
    const platforms = collected.objects.filter((o) => o.object.kind === 'PlatformSpec');
    assert.ok(platforms.length >= 2, `found ${platforms.length}`);
    assert.equal(collected.stats.skippedDocuments, 0);
  });
});
