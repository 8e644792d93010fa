import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { skipWithout } from '../helpers/tools.js';

/** Every file under a scanned directory is read, rendered, or counted with a reason. */

const root = mkdtempSync(join(tmpdir(), 'kfguard-files-'));
after(() => rmSync(root, { recursive: true, force: true }));

const pod = (name: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n  - {name: c, image: alpine}\n`;
function dir(name: string, files: Record<string, string>): string {
  const path = join(root, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(path, file, '..'), { recursive: true });
    writeFileSync(join(path, file), text);
  }
  return path;
}
// kubectl is found through PATH; keep the test's PATH.
const collect = (path: string, offline = false) =>
  collectManifests({ paths: [path], cwd: root, readStdin: () => Promise.resolve(Buffer.alloc(0)), env: process.env, offline });
/** A PATH without helm, so the chart is never rendered whatever the machine has installed. */
const NO_HELM = { ...process.env, PATH: join(root, 'no-bin') };
const names = (objects: readonly { object: { metadata?: { name?: string } } }[]) => objects.map((o) => o.object.metadata?.name).sort();

describe('every file is accounted for', () => {
  it('scans files the kustomization does not reference as plain manifests', { skip: skipWithout('kubectl', 'kustomize') }, async () => {
    const path = dir('unreferenced', { 'kustomization.yaml': 'resources: [listed.yaml]\n', 'listed.yaml': pod('listed'), 'extra.yaml': pod('extra') });
    const result = await collect(path);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(names(result.objects), ['extra', 'listed']);
    assert.equal(result.objects.find((o) => o.object.metadata?.name === 'listed')?.origin.reader, 'kustomize');
    assert.equal(result.stats.rendered, 1);
    assert.equal(result.stats.unreferencedFiles, 1);
  });

  it('does not render a kind: Component on its own; its files are plain manifests', async () => {
    const path = dir('component', { 'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [a.yaml]\n', 'a.yaml': pod('a') });
    const result = await collect(path);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(names(result.objects), ['a']);
    assert.match(result.stats.notRendered?.[0]?.reason ?? '', /Component/);
  });

  it('falls back to plain files when the render fails, naming the whole error', { skip: skipWithout('kubectl', 'kustomize') }, async () => {
    const path = dir('broken', { 'kustomization.yaml': 'resources: [missing.yaml]\n', 'a.yaml': pod('a') });
    const result = await collect(path);
    assert.deepEqual(names(result.objects), ['a']);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!.message, /missing\.yaml/);
    assert.match(result.errors[0]!.message, /scanned as plain manifests/);
    assert.doesNotMatch(result.errors[0]!.message, /\n/);
  });

  it('--offline refuses remote bases before any render', async () => {
    const path = dir('remote', { 'kustomization.yaml': 'resources:\n- github.com/example/repo//base?ref=v1\n- a.yaml\n', 'a.yaml': pod('a') });
    const result = await collect(path, true);
    assert.deepEqual(names(result.objects), ['a']);
    assert.match(result.errors[0]?.message ?? '', /remote bases refused \(--offline\): github\.com\/example\/repo\/\/base\?ref=v1/);
  });

  it('notes a Helm chart it cannot render instead of reporting its templates as YAML errors', async () => {
    const path = dir('chart', { 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n', 'values.yaml': 'x: 1\n' });
    const result = await collectManifests({ paths: [path], cwd: root, readStdin: () => Promise.resolve(Buffer.alloc(0)), env: NO_HELM });
    // Not scanned is an input error (exit 2, in every format), never a YAML error about a template.
    assert.deepEqual(result.errors.map((e) => e.file), ['chart']);
    assert.match(result.errors[0]!.message, /Helm chart not rendered: install helm or render it yourself/);
    assert.match(result.stats.notRendered?.[0]?.reason ?? '', /Helm chart not rendered: install helm or render it yourself/);
  });

  it('searches the templates of a chart it cannot render for miners, beside the refusal', async () => {
    const path = dir('miner-chart', {
      'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'templates/job.yaml': [
        'apiVersion: batch/v1', 'kind: Job', 'metadata:', '  name: {{ .Release.Name }}-train', 'spec:', '  template:', '    spec:', '      containers:',
        '      - name: t', '        image: {{ .Values.image }}', '        env:', '        - {name: A, value: xmr}', '        - {name: B, value: ig}',
        '        command: ["$(A)$(B)", "--donate-level", "1"]', '{{- if .Values.extra }}', '{{ toYaml .Values.extra }}', '{{- end }}', '',
      ].join('\n'),
      'templates/sub/pool.yaml': 'kind: ConfigMap\ndata:\n  pool: stratum+tcp://{{ .Values.pool }}.example.com:3333\n',
      'values.yaml': 'image: tensorflow/tensorflow:latest\n',
    });
    const report = await scanManifests({ paths: [path], cwd: root, readStdin: () => Promise.resolve(Buffer.alloc(0)), env: NO_HELM, rules: ALL_RULES });
    // Salvaged stand-ins without apiVersion or kind (values.yaml) are read, not a rule error.
    assert.deepEqual(report.ruleErrors, []);
    const refused = report.findings.filter((f) => f.ruleId === 'manifest-parse-ambiguity');
    assert.deepEqual(refused.map((f) => f.location?.file).sort(), ['miner-chart/templates/job.yaml', 'miner-chart/templates/sub/pool.yaml']);
    const job = refused.find((f) => f.location?.file === 'miner-chart/templates/job.yaml')!;
    assert.equal(job.severity, 'critical');
    assert.ok(job.evidence.includes('refused: Helm template not rendered (helm is not installed)'), job.evidence.join('\n'));
    assert.ok(job.evidence.some((e) => /"xmrig".*after resolving \$\(A\)/.test(e)), job.evidence.join('\n'));
    assert.ok(report.errors.some((e) => e.file === 'miner-chart' && /Helm chart not rendered/.test(e.message)));
  });
});
