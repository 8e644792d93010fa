import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { FALLBACK } from '../../src/sources/block-locate.js';
import { indexFlowCollection } from '../../src/sources/flow-locate.js';
import { locate } from '../../src/sources/locate.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';

/**
 * The flow-collection locator (src/sources/flow-locate.ts) against the `yaml` parser it stands in
 * for: every path, existing or not, must locate to the same line and column either way.
 */

/** Every path into `value` in kfguard's path syntax, plus a missing child of each. */
function pathsOf(value: unknown, prefix = '', out: string[] = []): string[] {
  if (Array.isArray(value)) {
    out.push(`${prefix}[${value.length + 2}]`);
    value.forEach((item, i) => {
      out.push(`${prefix}[${i}]`);
      pathsOf(item, `${prefix}[${i}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    out.push(prefix === '' ? 'missing' : `${prefix}.missing.deeper`);
    for (const [k, item] of Object.entries(value)) {
      const path = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? (prefix === '' ? k : `${prefix}.${k}`) : `${prefix}[${JSON.stringify(k)}]`;
      out.push(path);
      pathsOf(item, path, out);
    }
  }
  return out;
}

/** Locates every path of document `n` of `text` both ways and compares. */
function assertAgrees(text: string, paths: readonly string[], n = 0): void {
  const { documents } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
  const document = documents[n];
  assert.ok(document, `document ${n} of\n${text}`);
  const origin = { kind: 'file' as const, reader: 'file' as const, file: 'x.yaml', line: document.document.startLine, document: document.document };
  for (const path of paths) assert.deepEqual(locate(origin, path, 'auto'), locate(origin, path, 'parser'), `${path} in\n${text}`);
}

describe('flow collections locate as the yaml parser places them', () => {
  const cases: Record<string, string> = {
    'a kind: List of flow items': 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, image: "x:1", ports: [80, 443]}]}}\n- {kind: Pod, metadata: {name: b}}\n',
    'items over several lines': 'kind: List\nitems:\n  - {kind: Pod,\n     metadata: {name: a},\n     spec: {containers: [\n       {name: c, image: x}]}}\n  - {kind: Pod}\n',
    'JSON-style quoted keys and adjacent colons': 'kind: List\nitems:\n- {"kind":"Pod","metadata":{"name":"a"},"spec":{"hostNetwork":true}}\n',
    'single-quoted keys, escapes and odd plain values': "kind: List\nitems:\n- {'a''b': 1, \"c\\\"d\": 2, url: http://x:80/p, e: a:b, f: -1, g: [a, b,], h: , i}\n",
    'a flow value of a block key': 'kind: Pod\nmetadata: {name: a, labels: {app: x}}\nspec:\n  containers: [{name: c, image: x, args: ["--a", b]}]\n',
    'duplicate keys: the first one': 'kind: List\nitems:\n- {kind: Pod, kind: Job, metadata: {name: a, name: b}}\n',
    'a whole document in flow style, not JSON': '{kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, image: x}]}}\n',
    'forms left to the parser': "kind: List\nitems:\n- {a: &x 1, b: *x, c: !!str 2, d: [k: v], ? e : f, 1: one, true: t, g: {h: i} # c\n  }\n- {k: 'multi\n   line', l: \"x\n   y\"}\n",
    'a flow item with a continuation at the item indentation (an error in YAML)': 'kind: List\nitems:\n- {a: 1,\n  b: 2}\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      const value = yaml.load(text.replace(/\n- \{a: 1,\n {2}b: 2\}\n$/, '\n'), { json: true });
      const paths = [...pathsOf(value), 'items[0].spec.containers[0].image', 'items[0].metadata.name', 'items[1].k', 'items[1].l', 'items[0].d[0].k', 'items[0].g.h', 'items[0].b'];
      assertAgrees(text, paths);
    });
  }

  test('plain flow items are indexed without the parser', () => {
    const text = '{kind: Pod, metadata: {name: a, labels: {"x/y": z}}, spec: {containers: [{name: c, image: "x:1"}]}}';
    const indexed = indexFlowCollection(text, 0, text.length);
    assert.notEqual(indexed, FALLBACK);
    if (indexed === FALLBACK) return;
    assert.equal(indexed.end, text.length);
    assert.deepEqual([...(indexed.collection.keys?.keys() ?? [])], ['kind', 'metadata', 'spec']);
  });

  test('a collection that does not close inside its lines, or hides a comment, is left to the parser', () => {
    for (const text of ['{a: [1, 2}', '{a: 1 # c\n}', '{a: 1', '[a, , b]', '{"a\\u00": 1}', '{? a: 1}']) {
      assert.equal(indexFlowCollection(text, 0, text.length), FALLBACK, text);
    }
  });
});

describe('differential fuzzing of the flow locator against the yaml parser', () => {
  const awkward = fc.oneof(
    fc.constantFrom('a: b', '# not a comment', 'x\ny', '{a: 1}', '[1, 2', "it's", '"q"', 'tab\there', '', ' lead', 'trail ', 'http://h:1/p', 'a,b', '-1', 'true', 'null', '~', '1e3', '0x1f', '*a', '&b', '!t', '?', ':'),
    fc.string({ maxLength: 10 }),
  );
  const key = fc.oneof(fc.constantFrom('kind', 'metadata', 'name', 'a b', 'k:v', 'x/y', "o'k", '1', 'true', 'null', '-', '-x', '', 'é'), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,8}$/));
  const scalar = fc.oneof(awkward, fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
  }));
  const style = fc.record({
    flowLevel: fc.constantFrom(0, 1, 2),
    lineWidth: fc.constantFrom(-1, 20, 80),
    quotingType: fc.constantFrom<"'" | '"'>("'", '"'),
    forceQuotes: fc.boolean(),
    condenseFlow: fc.boolean(),
  });

  test('items of a kind: List written in flow style by js-yaml', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 4 }), { minLength: 1, maxLength: 3 }), style, (items, options) => {
        const text = `apiVersion: v1\nkind: List\n${yaml.dump({ items }, { ...options, flowLevel: options.flowLevel + 1 })}`;
        let value: unknown;
        try {
          value = yaml.load(text);
        } catch {
          return; // js-yaml can write flow text no reader takes back; the scan refuses it, nothing to locate.
        }
        assertAgrees(text, pathsOf(value));
      }),
      { numRuns: 300 },
    );
  });
});
