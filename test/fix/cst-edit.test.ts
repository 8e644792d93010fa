import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { parse, parseDocument } from 'yaml';
import { setScalarsInPlace } from '../../src/fix/cst-edit.js';
import { unifiedDiff } from '../../src/fix/diff.js';
import { applyEditsToDocument } from '../../src/fix/yaml-edit.js';
import { EditableYamlFile } from '../../src/fix/yaml-file.js';

/**
 * `fix` edits scalars through the `yaml` CST (issue 17): only the changed token moves. Re-printing
 * the document folded an unrelated `>-` scalar onto one line and respaced flow collections.
 */

const AWKWARD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    description: >-
      A long folded description that goes on
      over several lines and must stay exactly as written.
    literal: |
      line one
        indented two
    strip: |-
      keep
      me
    keep: >+
      folded keep

    short: "q"   # a quoted one
spec:
  template:
    spec:
      containers:
      - name: web   # the web container
        image: nginx:latest
        env: [{name: A,   value: "1"}, {name: B, value: plain}]   # spaced comment
        command: ["sh",   '-c']
        args:
        - >-
          echo a
          echo b
`;

const IMAGE = ['spec', 'template', 'spec', 'containers', 0, 'image'];

/** The lines of `after` that differ from `before`, which must have as many lines. */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(b.length, a.length, `line count changed:\n${after}`);
  return b.filter((line, i) => line !== a[i]);
}

describe('fix edits through the CST', () => {
  test('the image-digest edit changes the image line only, next to folded, literal, kept and flow text', () => {
    const file = new EditableYamlFile(AWKWARD);
    file.edit(0, [], [{ op: 'set', path: IMAGE, value: 'nginx:latest@sha256:00', comment: ' kfguard: placeholder digest' }]);
    const after = file.render();
    assert.deepEqual(changedLines(AWKWARD, after), ['        image: nginx:latest@sha256:00 # kfguard: placeholder digest']);
    const diff = unifiedDiff('a.yaml', AWKWARD, after);
    assert.deepEqual(diff.split('\n').filter((l) => /^[+-][^+-]/.test(l)), ['-        image: nginx:latest', '+        image: nginx:latest@sha256:00 # kfguard: placeholder digest']);
  });

  test('scalars inside flow collections keep their quotes and the spacing around them', () => {
    const file = new EditableYamlFile(AWKWARD);
    file.edit(0, [], [
      { op: 'set', path: ['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'value'], value: 'x, y' },
      { op: 'set', path: ['spec', 'template', 'spec', 'containers', 0, 'env', 1, 'value'], value: 'a, {b}' },
      { op: 'set', path: ['spec', 'template', 'spec', 'containers', 0, 'command', 1], value: '-e' },
    ]);
    const after = file.render();
    assert.deepEqual(changedLines(AWKWARD, after), ['        env: [{name: A,   value: "x, y"}, {name: B, value: "a, {b}"}]   # spaced comment', `        command: ["sh",   '-e']`]);
    const env = (parse(after) as { spec: { template: { spec: { containers: { env: { value: string }[] }[] } } } }).spec.template.spec.containers[0]?.env;
    assert.deepEqual(env?.map((e) => e.value), ['x, y', 'a, {b}']);
  });

  test("the user's comment already on the line is kept, the note after it, as the data-model edit does", () => {
    const text = 'a: 1\nb: two   # pinned by the platform team, JIRA-12\nc: 3\n';
    const expected = 'a: 1\nb: three   # pinned by the platform team, JIRA-12 # new\nc: 3\n';
    assert.equal(setScalarsInPlace(text, [{ path: ['b'], value: 'three', comment: ' new' }]), expected);
    assert.equal(setScalarsInPlace(expected, [{ path: ['b'], value: 'three', comment: ' new' }]), expected, 'a note already there is not added twice');
    // The data-model edit, which the file falls back to when the CST cannot edit in place.
    const doc = parseDocument(text);
    applyEditsToDocument(doc, [], [{ op: 'set', path: ['b'], value: 'three', comment: ' new' }]);
    assert.match(doc.toString(), /^b: three # pinned by the platform team, JIRA-12 # new$/m);
  });

  test('a string that reads as another type is quoted; a number stays a number', () => {
    assert.equal(setScalarsInPlace('a: x\nb: "y"\n', [{ path: ['a'], value: 'true' }, { path: ['b'], value: 8080 }]), 'a: "true"\nb: 8080\n');
  });

  test('edits it cannot make in place are refused, and the file is re-printed instead', () => {
    assert.equal(setScalarsInPlace('a: |\n  x\n', [{ path: ['a'], value: 'y' }]), undefined, 'block scalar');
    assert.equal(setScalarsInPlace('a: {b: 1}\n', [{ path: ['a'], value: 'y' }]), undefined, 'collection replaced');
    assert.equal(setScalarsInPlace('a: 1\n', [{ path: ['a'], value: 'two\nlines' }]), undefined, 'multi-line value');
    assert.equal(setScalarsInPlace('a: [1]\n', [{ path: ['a', 0], value: 2, comment: ' c' }]), undefined, 'a comment inside a flow collection');
    const file = new EditableYamlFile('a: |\n  x\nb: 1\n');
    file.edit(0, [], [{ op: 'set', path: ['a'], value: 'y' }]);
    assert.deepEqual(parse(file.render()), { a: 'y', b: 1 });
  });

  test('a structural edit (an item added and one removed) moves only the edited nodes: folded, literal and other flow text stay', () => {
    const file = new EditableYamlFile(AWKWARD);
    const container = ['spec', 'template', 'spec', 'containers', 0];
    file.edit(0, [], [
      { op: 'append', path: [...container, 'env'], value: { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } } },
      { op: 'delete', path: [...container, 'command', 1] },
    ]);
    const after = file.render();
    const expected = parse(AWKWARD) as { spec: { template: { spec: { containers: { env: unknown[]; command: string[] }[] } } } };
    const edited = expected.spec.template.spec.containers[0];
    assert.ok(edited);
    edited.env.push({ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } });
    edited.command.pop();
    assert.deepEqual(parse(after), expected);
    // Everything above the container's env, and the args below it, is byte for byte as written.
    const untilEnv = AWKWARD.slice(0, AWKWARD.indexOf('        env:'));
    assert.ok(after.startsWith(untilEnv), `text before the edited nodes moved:\n${after}`);
    assert.ok(after.endsWith(AWKWARD.slice(AWKWARD.indexOf('        args:'))), `text after the edited nodes moved:\n${after}`);
  });

  test('random documents in every layout: one scalar set, one line changed, and the data reads as intended', () => {
    const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constantFrom('yes', 'null', '1.0', 'a: b', '# x', '- y', "it's", '"q"'));
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), tie('tree'), { maxKeys: 3 })),
    }));
    const style = fc.record({ flowLevel: fc.constantFrom(-1, 1, 2), quotingType: fc.constantFrom<"'" | '"'>("'", '"'), forceQuotes: fc.boolean(), indent: fc.constantFrom(2, 4) });
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), tree, { minKeys: 1, maxKeys: 4 }), style, leaf, fc.nat(), (value, options, replacement, pick) => {
        const text = yaml.dump({ folded: 'one two three four five six seven eight nine ten eleven twelve thirteen\nfourteen', data: value }, { ...options, lineWidth: 40 });
        // js-yaml sometimes writes flow text that YAML 1.2 refuses (`{a: (:,}`: the comma ends the plain scalar).
        // Such text is not a document the edit can be judged on, so the case is discarded, not failed.
        let original: unknown;
        try {
          original = parse(text);
        } catch {
          fc.pre(false);
        }
        const leaves = scalarPaths(original).filter((p) => p[0] === 'data');
        if (leaves.length === 0) return;
        const path = leaves[pick % leaves.length] as (string | number)[];
        const before = text.split('\n');
        const file = new EditableYamlFile(text);
        file.edit(0, [], [{ op: 'set', path, value: replacement }]);
        const after = file.render();
        const expected = parse(text) as Record<string, unknown>;
        setIn(expected, path, replacement);
        assert.deepEqual(parse(after), expected);
        const inPlace = setScalarsInPlace(text, [{ path, value: replacement }]);
        if (inPlace === undefined) return;
        // Edited in place: one new line (a scalar written over several lines becomes one), the folded text untouched.
        assert.equal(after, inPlace);
        const changed = after.split('\n').filter((line) => !before.includes(line));
        assert.ok(changed.length <= 1, `changed ${changed.length} lines:\n${text}\n→\n${after}`);
        if (text.includes('folded: >-')) assert.ok(after.includes(text.slice(text.indexOf('folded: >-'), text.indexOf('data:'))));
      }),
      { numRuns: 200 },
    );
  });
});

function scalarPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((item, i) => scalarPaths(item, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, item] of Object.entries(value)) scalarPaths(item, [...prefix, k], out);
  else out.push(prefix);
  return out;
}

function setIn(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = target;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
}
