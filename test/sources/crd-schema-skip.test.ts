import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { containersOf } from '../../src/k8s/workloads.js';
import { cutCrdSchemas } from '../../src/sources/crd-schema-skip.js';
import { slimDocument } from '../../src/sources/slim.js';
import { parseChunk, parseYamlStream, splitDocuments, DEFAULT_PARSE_LIMITS } from '../../src/sources/yaml-documents.js';
import type { K8sObject } from '../../src/core/types.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

const crd = (schemaLines: readonly string[], extra: readonly string[] = []): string =>
  [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  name: widgets.example.com',
    'spec:',
    '  group: example.com',
    '  names: {kind: Widget, plural: widgets}',
    '  scope: Namespaced',
    '  versions:',
    '  - name: v1',
    '    served: true',
    '    storage: true',
    '    schema:',
    '      openAPIV3Schema:',
    ...schemaLines,
    ...extra,
    '',
  ].join('\n');

const SCHEMA = ['        type: object', '        # a comment', '', '        properties:', '          spec:', '            description: |', '              a: b', '            type: object'];

const parsed = (text: string) => parseYamlStream(text, DEFAULT_PARSE_LIMITS);

describe('CRD schemas are cut before parsing', () => {
  test('a cut CRD parses to what the full parse slims to', () => {
    const text = crd(SCHEMA, ['  - name: v2', '    served: false', '    storage: false', '    schema:', '      openAPIV3Schema:', ...SCHEMA]);
    const cut = cutCrdSchemas(text);
    assert.equal(cut?.cuts, 2);
    assert.ok(!cut.text.includes('description'), 'schema text should be gone from the parsed text');
    const { documents, errors } = parsed(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(slimDocument(documents[0]!.value), slimDocument(yaml.load(text)));
    assert.equal(documents[0]!.document.text, text, 'line lookups keep using the original text');
  });

  test('a Pod with a key named openAPIV3Schema is parsed whole, so containers under it are seen', () => {
    const pod = [
      'apiVersion: v1',
      'kind: Pod # not a CustomResourceDefinition',
      'metadata: {name: p}',
      'spec:',
      '  openAPIV3Schema:',
      '    containers:',
      '    - {name: m, image: x, command: [xmrig]}',
      '',
    ].join('\n');
    const { documents } = parsed(pod);
    const object = documents[0]!.value as K8sObject;
    assert.equal(containersOf(object).length, 1);
  });

  test('a second document after `...` in the same chunk makes the whole chunk parse in full', () => {
    const text = `${crd(SCHEMA)}...\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nopenAPIV3Schema:\n  containers:\n  - {name: m, image: x}\n`;
    assert.ok(cutCrdSchemas(text));
    const { documents } = parsed(text);
    assert.equal(documents.length, 2);
    assert.equal(containersOf(documents[1]!.value as K8sObject).length, 1);
  });

  test('the marker written by a user elsewhere is left as the user wrote it', () => {
    const text = crd(SCHEMA).replace('scope: Namespaced', 'scope: kfguard.unparsed-schema');
    const { documents } = parsed(text);
    assert.equal((documents[0]!.value as { spec: { scope: string } }).spec.scope, 'kfguard.unparsed-schema');
    assert.deepEqual(slimDocument(documents[0]!.value), slimDocument(yaml.load(text)));
  });

  test('an alias into a cut schema falls back to the full parse', () => {
    const text = crd(['        type: object', '        x-kubernetes-preserve-unknown-fields: &keep true'], ['  conversion: {strategy: None, keep: *keep}']);
    const { documents, errors } = parsed(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(documents[0]!.value, yaml.load(text));
  });

  test('syntax errors outside a schema are reported at their real line', () => {
    const text = crd(SCHEMA, ['  conversion: [unclosed', '']);
    const { errors } = parsed(text);
    assert.equal(errors.length, 1);
    let fullParseLine: number | undefined;
    try {
      yaml.load(text);
    } catch (error) {
      fullParseLine = (error as yaml.YAMLException).mark.line + 1;
    }
    // The cut text is shorter; a line from it would be off by the schema's length.
    assert.ok(fullParseLine !== undefined && fullParseLine > SCHEMA.length + 14);
    assert.equal(errors[0]!.line, fullParseLine);
  });

  test('a YAML error inside a schema block (here a duplicate key) is not reported: the documented price of the cut', () => {
    const text = crd([...SCHEMA, '            type: string']);
    assert.throws(() => yaml.load(text));
    const { documents, errors } = parsed(text);
    assert.deepEqual(errors, []);
    assert.equal((documents[0]!.value as K8sObject).kind, 'CustomResourceDefinition');
  });

  /** What the scan would see from the cut path, compared with a plain js-yaml parse of the text. */
  const sameAsFullParse = (text: string): void => {
    const { documents, errors } = parsed(text);
    let full: unknown[] | undefined;
    try {
      full = yaml.loadAll(text, undefined, { schema: yaml.CORE_SCHEMA }).filter((v) => v !== null);
    } catch {
      full = undefined;
    }
    if (full === undefined) {
      assert.ok(errors.length > 0, 'the full parse fails, so the scan must report an error');
      return;
    }
    assert.deepEqual(documents.map((d) => slimDocument(d.value)), full.map(slimDocument));
  };

  test('constructs that cross a block boundary are followed as the parser follows them', () => {
    const head = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'spec:', '  validation:', '    openAPIV3Schema:'];
    // A lone CR is a line break to js-yaml.
    sameAsFullParse([...head, '      type: object\r---\rkind: Pod\rapiVersion: v1\rspec: {containers: [{name: c, image: evil}]}', ''].join('\n'));
    // An anchor redefined inside the schema and aliased outside it.
    sameAsFullParse(['apiVersion: v1', 'metadata: {name: evil, labels: {a: &k CustomResourceDefinition}}', 'spec:', '  containers: [{name: c, image: evil}]', '  validation:', '    openAPIV3Schema:', '      x: &k Pod', 'kind: *k', ''].join('\n'));
    // A flow mapping whose closing brackets sit inside the block.
    sameAsFullParse(["{spec: {validation: {", '    openAPIV3Schema:', "      {}, containers: [{name: c, image: evil}]}}, kind: Pod, apiVersion: v1, note: '", "  }}, kind: CustomResourceDefinition} # '", ''].join('\n'));
    // A quoted scalar opened inside the block that closes after it.
    sameAsFullParse([...head, '      description: "starts here', 'kind: Pod', 'spec: {containers: [{name: c, image: evil}]}', 'x: ends here"', ''].join('\n'));
    sameAsFullParse([...head, '      description: "starts here', 'metadata: {name: only-if-the-quote-is-missed}', 'x: ends here"', ''].join('\n'));
    // A quote inside a plain scalar of a flow collection, and a quote opening a plain scalar's
    // continuation line: text to js-yaml, so no quoted scalar may be assumed to open there.
    sameAsFullParse("spec:\n validation:\n  openAPIV3Schema:\n   x: {a: b'}\n containers: [{name: e, image: e}]\nkind: Pod\napiVersion: v1\nz: \"'}\nkind: CustomResourceDefinition\napiVersion: v1\n#\"\n");
    sameAsFullParse('spec:\n  validation:\n    openAPIV3Schema:\n      x:\n          foo\n        "bar\n  containers: [{name: e, image: e}]\nkind: Pod\napiVersion: v1\nz: "\nkind: CustomResourceDefinition\napiVersion: v1\n#"\n');
    // `#` right after `,` is a comment to js-yaml, so the collection stays open.
    sameAsFullParse('apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b}\nspec:\n  validation:\n    openAPIV3Schema:\n      x: [a,#]\n  scope: Namespaced]\n');
    // Multi-line quoted and flow values that stay inside the block are cut.
    const inside = [...head, "      description: 'a quoted", "        description'", '      enum: [a,', '        b]', '  group: g', ''].join('\n');
    assert.equal(cutCrdSchemas(inside)?.cuts, 1);
    sameAsFullParse(inside);
  });

  // How the cut's time grows with such input is measured, not bounded here: the hostile class
  // 'CRD schema keys in a string' (bench/hostile-inputs.ts) in `npm run bench:hostile` and in
  // test/sources/hostile-growth.test.ts, as a ratio within one run.
  test('aliases, cycles and many schema keys are read or refused', () => {
    const cycle = ['kind: CustomResourceDefinition', 'x: &a {p: *a, q: *a}', 'spec:', '  validation:', '    openAPIV3Schema:', '      type: object', ''].join('\n');
    assert.match(parsed(cycle).errors[0]?.message ?? '', /cycle/);
    const keys = `kind: CustomResourceDefinition\nx: "${'openAPIV3Schema:'.repeat(100_000)}"\n`;
    const read = parsed(keys);
    assert.deepEqual(read.errors, []);
    assert.equal((read.documents[0]!.value as { x: string }).x.length, 1_600_000);
  });

  test('with --parse-crd-schemas, YAML 1.1 words inside a schema do not send the CRD to the exact reader', () => {
    // The exact reader would note that go-yaml reads `on`/`yes` as booleans there; no rule ever
    // reads a schema (slim.ts), and routing every such CRD through both readers cost the mode 1.8×.
    const words = crd([...SCHEMA, '            enum: [on, off, yes]', '            x-note: on']);
    const full = parseYamlStream(words, { ...DEFAULT_PARSE_LIMITS, parseCrdSchemas: true });
    assert.deepEqual(full.errors, []);
    assert.equal(full.documents[0]!.readingNotes, undefined);
    assert.deepEqual(slimDocument(full.documents[0]!.value), slimDocument(parsed(words).documents[0]!.value));
    // Outside the schema the same word still routes, in both modes.
    const outside = words.replace('  scope: Namespaced', '  scope: Namespaced\n  preserveUnknownFields: on');
    for (const parseCrdSchemas of [false, true]) {
      const notes = parseYamlStream(outside, { ...DEFAULT_PARSE_LIMITS, parseCrdSchemas }).documents[0]!.readingNotes ?? [];
      assert.ok(notes.length > 0, `parseCrdSchemas=${parseCrdSchemas}: a 1.1 word outside the schema is noted`);
    }
    // And a syntax error inside a schema is still reported in that mode.
    const broken = crd([...SCHEMA, '            enum: [on, off', '          bad: : :']);
    assert.equal(parseYamlStream(broken, { ...DEFAULT_PARSE_LIMITS, parseCrdSchemas: true }).errors.length, 1);
  });

  test('inline, flow and compact forms are not cut', () => {
    assert.equal(cutCrdSchemas(crd([]).replace('openAPIV3Schema:', 'openAPIV3Schema: {type: object}')), undefined);
    assert.equal(cutCrdSchemas(crd(['      - not: a mapping'])), undefined);
    assert.equal(cutCrdSchemas(crd([]).replace('openAPIV3Schema:', 'openAPIV3Schema: &s')), undefined);
  });
});

describe('cutting agrees with the full parse on every corpus CRD', requiresShared(), () => {
  test('slimmed results are identical, and the cut is taken for nearly all of them', () => {
    const dir = sharedPath('corpus', 'kubeflow');
    let crds = 0;
    let cut = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      for (const chunk of splitDocuments(text)) {
        const source = text.slice(chunk.start, chunk.end);
        if (!/^kind: CustomResourceDefinition\s*$/m.test(source)) continue;
        crds++;
        if (cutCrdSchemas(source)) cut++;
        const lean = parseChunk(text, chunk, DEFAULT_PARSE_LIMITS);
        const full = yaml.loadAll(source, undefined, { schema: yaml.CORE_SCHEMA }).filter((v) => v !== null);
        assert.deepEqual(lean.values.map(slimDocument), full.map(slimDocument), `${file}:${chunk.startLine}`);
      }
    }
    assert.ok(crds > 100, `only ${crds} CRDs in the corpus`);
    assert.ok(cut / crds > 0.95, `cut only ${cut} of ${crds} CRDs`);
  });
});
