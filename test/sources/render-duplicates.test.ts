import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dropRenderDuplicates } from '../../src/core/render-duplicates.js';
import type { Finding } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { requiresKubectl } from '../../src/testing/kubectl-oracle.js';

const finding = (reader: 'file' | 'kustomize', file: string, fingerprint = 'fp'): Finding => ({
  ruleId: 'pod-privileged', severity: 'high', category: 'workload-security', title: 't', message: 'm',
  resource: { apiVersion: 'v1', kind: 'Pod', name: 'p' }, evidence: ['e'], mitre: [], remediation: 'r', source: 'manifest',
  origin: { kind: 'file', reader, file }, fingerprint,
});

test('a finding in both a render and a plain file is kept once, from the plain file, naming the render', () => {
  const kept = dropRenderDuplicates([finding('kustomize', 'app (kustomize)'), finding('file', 'app/pod.yaml'), finding('file', 'other.yaml', 'fp2')]);
  assert.deepEqual(kept.map((f) => f.origin && 'file' in f.origin ? f.origin.file : ''), ['app/pod.yaml', 'other.yaml']);
  assert.deepEqual(kept[0]!.evidence, ['e', 'also in app (kustomize); reported once']);
});

test('findings only in a render, or different findings, all stay', () => {
  const input = [finding('kustomize', 'app (kustomize)'), finding('file', 'app/pod.yaml', 'other')];
  assert.equal(dropRenderDuplicates(input).length, 2);
});

const root = mkdtempSync(join(tmpdir(), 'kfguard-dup-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('scanning a kustomize directory and one of its files reports the privileged pod once', requiresKubectl(), async () => {
  writeFileSync(join(root, 'kustomization.yaml'), 'resources: [pod.yaml]\n');
  writeFileSync(join(root, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team-a}\nspec:\n  containers:\n  - {name: c, image: alpine, securityContext: {privileged: true}}\n');
  const report = await scanManifests({ paths: ['.', 'pod.yaml'], cwd: root, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES, env: process.env });
  const privileged = report.findings.filter((f) => f.ruleId === 'pod-privileged');
  assert.equal(privileged.length, 1, JSON.stringify(privileged.map((f) => f.origin)));
  assert.ok(privileged[0]!.evidence.some((e) => e.includes('(kustomize); reported once')));
});
