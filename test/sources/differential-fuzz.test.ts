import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { cutCrdSchemas } from '../../src/sources/crd-schema-skip.js';
import { locate } from '../../src/sources/locate.js';
import { slimDocument } from '../../src/sources/slim.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { parseAllDocuments } from 'yaml';

/**
 * Differential fuzzing of two hand-written readers kept for speed (docs/benchmarks.md) against the
 * libraries they stand in for: the CRD-schema cut against js-yaml, and the fast line locator
 * against the `yaml` CST. Inputs are random values written out by js-yaml in random styles, plus
 * the awkward text real manifests carry (block scalars, flow collections over several lines,
 * comments, quoted keys that look like schema keys).
 */

const RUNS = 150;

/** Keys and strings that stress a line-based reader. */
const awkwardString = fc.oneof(
  fc.constantFrom('openAPIV3Schema:', 'a: b', '# not a comment', '- item', 'x\ny', 'x\n  y: z', '{a: 1}', '[1, 2', "it's", '"q"', 'tab\there', '', ' lead', 'trail ', 'kfguard.unparsed-schema'),
  fc.string({ maxLength: 12 }),
);
const key = fc.oneof(fc.constantFrom('type', 'properties', 'items', 'description', 'openAPIV3Schema', 'x-kubernetes-preserve-unknown-fields', 'a b', 'k:v'), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,8}$/));
const scalar = fc.oneof(awkwardString, fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }));
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
  ),
}));
const schema = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 4 });

/** js-yaml writing options: every layout a real file could have. */
const dumpStyle = fc.record({
  indent: fc.constantFrom(2, 4),
  flowLevel: fc.constantFrom(-1, 2, 3, 4),
  noArrayIndent: fc.boolean(),
  lineWidth: fc.constantFrom(-1, 20, 80),
  quotingType: fc.constantFrom<"'" | '"'>("'", '"'),
  forceQuotes: fc.boolean(),
});

/**
 * Layouts where the schema block itself is in block style (a flow-style `openAPIV3Schema: {…}` is
 * never cut, by design), with flow collections deeper inside it.
 */
const crdStyle = fc.record({
  indent: fc.constantFrom(2, 4),
  flowLevel: fc.constantFrom(-1, 6, 7, 8),
  noArrayIndent: fc.boolean(),
  lineWidth: fc.constantFrom(-1, 20, 80),
  quotingType: fc.constantFrom<"'" | '"'>("'", '"'),
});

function crdText(schemas: readonly unknown[], style: yaml.DumpOptions, trailer: unknown): string {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: schemas.map((openAPIV3Schema, i) => ({ name: `v${i + 1}`, served: true, storage: i === 0, schema: { openAPIV3Schema }, extra: trailer })),
    },
  };
  return yaml.dump(crd, style);
}

const MARKER = 'kfguard.unparsed-schema';

function readsBack(text: string): boolean {
  try {
    yaml.load(text);
    return true;
  } catch {
    return false;
  }
}

/** `whole` with each openAPIV3Schema value replaced by the marker where `cut` holds it there. */
function withCutsFrom(cut: unknown, whole: unknown): unknown {
  if (Array.isArray(cut) && Array.isArray(whole)) return whole.map((item, i) => withCutsFrom(cut[i], item));
  if (cut !== null && typeof cut === 'object' && whole !== null && typeof whole === 'object' && !Array.isArray(whole)) {
    return Object.fromEntries(
      Object.entries(whole).map(([k, v]) => {
        const cutValue = (cut as Record<string, unknown>)[k];
        return [k, k === 'openAPIV3Schema' && cutValue === MARKER ? MARKER : withCutsFrom(cutValue, v)];
      }),
    );
  }
  return whole;
}

describe('the CRD-schema cut agrees with js-yaml', () => {
  test('whenever the cut is made, the rest of the document parses as js-yaml reads it', () => {
    let made = 0;
    fc.assert(
      fc.property(fc.array(schema, { minLength: 1, maxLength: 3 }), fc.oneof(crdStyle, crdStyle, dumpStyle), tree, (schemas, style, trailer) => {
        const text = crdText(schemas, style, trailer);
        // js-yaml's dumper can write flow text that js-yaml itself refuses (a plain `TNl2?`|8:` before
        // a `,`); there is no reading to agree with then, so such a text is no case. The next property
        // covers refused text: the scan must report it either way.
        fc.pre(readsBack(text));
        const cut = cutCrdSchemas(text);
        if (cut === undefined) return;
        made++;
        // Only the values of openAPIV3Schema keys may differ, each replaced by the marker. (A key of
        // that name outside a schema position is cut too; the parse result check then refuses the cut,
        // which the next property covers.)
        assert.deepEqual(withCutsFrom(yaml.load(cut.text), yaml.load(text)), yaml.load(cut.text));
      }),
      { numRuns: RUNS },
    );
    // The property says nothing if the cut refuses everything. It is made in about 40% of the
    // documents (60 of 150 at the median, never under 38 in 3,800 seeds): a fifth is far enough below
    // that luck never fails it, and a cut that stopped working still would.
    assert.ok(made > RUNS / 5, `the cut was made in only ${made} of ${RUNS} documents`);
  });

  test('a scan with the cut reads the same CRD as one that parses the schemas', () => {
    fc.assert(
      fc.property(fc.array(schema, { minLength: 1, maxLength: 3 }), fc.oneof(crdStyle, crdStyle, dumpStyle), tree, (schemas, style, trailer) => {
        const text = crdText(schemas, style, trailer);
        // The cut's documented cost (README, --parse-crd-schemas): a syntax error inside a schema
        // block is not reported. js-yaml's dumper writes such errors (a plain `(:,` in a flow
        // collection); a text refused whole but read once its schema blocks are cut had its error
        // inside one, so it is no case. Refused text anywhere else must still be refused alike.
        const cut = cutCrdSchemas(text);
        fc.pre(cut === undefined || readsBack(text) || !readsBack(cut.text));
        const lean = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
        const full = parseYamlStream(text, { ...DEFAULT_PARSE_LIMITS, parseCrdSchemas: true });
        assert.deepEqual(lean.errors, full.errors);
        assert.deepEqual(lean.documents.map((d) => slimDocument(d.value)), full.documents.map((d) => slimDocument(d.value)));
        // The dumper can emit text that no YAML reader accepts (a plain `.:[` inside a flow
        // collection); then both reads must have refused it alike, which the lines above check.
        let reference: unknown;
        try {
          reference = yaml.load(text);
        } catch {
          assert.ok(lean.errors.length > 0, 'js-yaml refuses the text, so the scan must report an error');
          return;
        }
        assert.deepEqual(slimDocument(lean.documents[0]?.value), slimDocument(reference));
      }),
      { numRuns: RUNS },
    );
  });
});

/** Every path into `value` in kfguard's path syntax: `a.b[0]["odd key"]`. */
function pathsOf(value: unknown, prefix = '', out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const path = `${prefix}[${i}]`;
      out.push(path);
      pathsOf(item, path, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, item] of Object.entries(value)) {
      const path = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? (prefix === '' ? k : `${prefix}.${k}`) : `${prefix}[${JSON.stringify(k)}]`;
      out.push(path);
      pathsOf(item, path, out);
    }
  }
  return out;
}

describe('the fast line locator agrees with the yaml CST', () => {
  test('every path of a random document, and paths that do not exist, locate to the same line and column', () => {
    const manifest = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('ConfigMap'), metadata: fc.record({ name: fc.constant('m') }), data: fc.dictionary(key, tree, { maxKeys: 5 }) });
    fc.assert(
      fc.property(manifest, dumpStyle, fc.nat({ max: 3 }), (value, style, leadingDocuments) => {
        // Earlier documents and comments shift lines, as in a real multi-document file.
        const text = `${'# c\n---\nkind: Other\n---\n'.repeat(leadingDocuments)}${yaml.dump(value, style)}`;
        // js-yaml's dumper can write flow text the YAML grammar refuses (`{a: (:['}`: a flow
        // indicator in a plain scalar); the CST oracle has no answer there, so such a text is no case.
        if (parseAllDocuments(text).some((d) => d.errors.length > 0)) return;
        const { documents } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
        const document = documents[leadingDocuments];
        assert.ok(document);
        const origin = { kind: 'file' as const, reader: 'file' as const, file: 'x.yaml', line: document.document.startLine, document: document.document };
        for (const path of [...pathsOf(value), 'data.missing', 'data.missing[3].deeper', 'metadata.name']) {
          assert.deepEqual(locate(origin, path, 'auto'), locate(origin, path, 'parser'), `${path} in\n${text}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
