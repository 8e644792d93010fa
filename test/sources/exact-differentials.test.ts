import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * Texts an adversarial differential review found that kubectl applies but kfguard's exact path
 * (go-yaml emulation) refused or misread, so the Pod's findings vanished. Each is checked against
 * kubectl itself and, at scan level, for the findings kubectl's reading gives.
 */
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: !!str p\nspec:\n';
const MINER = 'stratum+tcp://pool.minexmr.com:4444';

interface Case {
  readonly text: string;
  /** Rules that must report the Pod as kubectl reads it. */
  readonly rules: readonly string[];
}

const CASES: Record<string, Case> = {
  // 1. A lone CR ends a line for go-yaml, in block structure and inside quoted and block scalars.
  'lone CR between block keys': {
    text: `${POD}  hostNetwork: yes\n  containers:\n  - name: main\n    image: nginx\r    command: [sh, -c, "${MINER}"]\r    securityContext: {privileged: true}\n`,
    rules: ['pod-privileged', 'pod-host-namespaces', 'crypto-miner-workload'],
  },
  'lone CR inside scalars': {
    text: `${POD}  hostPID: true\n  containers:\n  - name: main\n    image: "ngi\r      nx"\r    command: ['sh', '-c', 'x\r\r      ${MINER}']\r    args: [a]\n    env:\r    - name: X\r      value: |\r        l1\r        l2\r    securityContext:\r      privileged: !!bool "true"\n`,
    rules: ['pod-privileged', 'pod-host-namespaces', 'crypto-miner-workload'],
  },
  // 2. Continuation lines of quoted scalars and flow collections are not indentation-checked by go-yaml.
  'quoted string continued under its key (q4)': {
    text: `${POD}  hostPID: true\n  containers:\n  - name: main\n    image: "xm\\\n  rig"\n    securityContext: {privileged: true}\n`,
    rules: ['pod-privileged', 'pod-host-namespaces', 'crypto-miner-workload'],
  },
  'flow mapping continued at its entry column (q3, q6)': {
    text: `${POD}  hostPID: true\n  containers:\n  - {name: main, image: "xm\\\n  rig",\n  securityContext: {privileged: true}, command: ["/xm\\\n\trig", "-o",\n"${MINER}"]}\n`,
    rules: ['pod-privileged', 'pod-host-namespaces', 'crypto-miner-workload'],
  },
  'flow sequence continued at column 0 (q7)': {
    text: `${POD}  hostIPC: true\n  containers:\n  - name: main\n    image: nginx\n    command: [sh, -c, "/tmp/x -o ${MINER}",\n"x"]\n    securityContext: {privileged: true}\n`,
    rules: ['pod-privileged', 'pod-host-namespaces', 'crypto-miner-workload'],
  },
  // 6. Go's ParseFloat refuses `1e400` (out of range), so go-yaml keeps the text.
  'out-of-range float (inf1)': {
    text: `${POD}  hostPID: true\n  containers:\n  - name: main\n    image: nginx\n    args: [1e400, -1e400]\n    env: [{name: A, value: 1e400}]\n    command: [sh, -c, "${MINER}"]\n    securityContext:\n      privileged: true\n`,
    rules: ['pod-privileged', 'pod-host-namespaces', 'crypto-miner-workload'],
  },
};

/** Float map keys (7.) and out-of-range floats (6.), in a custom resource kubectl keeps untyped. */
const VALUE_CASES = [
  'spec:\n  123456789.0: a\n  1.0: b\n  1e6: c\n  100000.5: d\n  0.0001: e\n  0.00001: f\n  -2.5e-7: g\n  3.14159265358979: h\n  !!float 7: i\n  1e3: j\n  16777217.0: k\n  1e400: l\n  -0.0: m\n  v: [1e400, -1e400, 1e-400, 1.7976931348623157e308]\n',
].map((body) => `apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: x}\nflag: yes\n${body}`);

test('a UTF-16 file with a byte-order mark (LE and BE) is read as kubectl reads it, findings included', requiresKubectl(), async () => {
  const { text } = CASES['lone CR between block keys']!;
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le);
  be.swap16();
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-utf16-'));
  try {
    for (const [name, bytes] of [['le.yaml', le], ['be.yaml', be]] as const) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const applied = spawnSync('kubectl', ['label', '--local', '-f', file, 'x=y', '-o', 'json'], { encoding: 'utf8' });
      assert.equal(applied.status, 0, `${name}: kubectl reads it: ${applied.stderr}`);
      assert.match(applied.stdout, /"privileged": true/);
      const report = await scanManifests({ paths: [file], cwd: dir, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES });
      assert.deepEqual(report.errors, [], name);
      const found = new Set(report.findings.map((f) => f.ruleId));
      for (const rule of ['pod-privileged', 'pod-host-namespaces', 'crypto-miner-workload']) assert.ok(found.has(rule), `${name}: ${rule}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kubectl reads float keys and out-of-range floats as kfguard does', requiresKubectl(), () => {
  const oracle = kubectlDecodeAll(VALUE_CASES);
  const problems = VALUE_CASES.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
  assert.deepEqual(problems, []);
  const spec = (parseYamlStream(VALUE_CASES[0]!, DEFAULT_PARSE_LIMITS).documents[0]!.value as { spec: Record<string, unknown> }).spec;
  assert.equal(spec['1.2345679e+08'], 'a');
  assert.deepEqual(spec.v, ['1e400', '-1e400', 0, 1.7976931348623157e308]);
});

/** Quoted and flow tokens continued on lines at various indents, in the places a Pod holds them. */
function continuationCases(): string[] {
  const tokens = (ind: string) => [
    `"xm\\\n${ind}rig"`, `"xm\n${ind}rig"`, `'xm\n${ind}rig'`, `"a\n${ind}\n${ind}b"`, `[sh,\n${ind}-c, "x\n${ind}y"]`, `{a: 1,\n${ind}b: [2,\n${ind}3]}`,
    `"x\n${ind}# not a comment"`, `[a, # c\n${ind}b]`, `"x\n${ind}- y"`, `"x\n${ind}z: 1"`, `[x,\n${ind}y: 1]`,
  ];
  const head = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: !!str p\nspec:\n  containers:\n';
  return ['', '  ', '\t', ' \t'].flatMap((ind) =>
    tokens(ind).flatMap((tok) => [
      `${head}  - name: main\n    image: nginx\n    args: ${tok}\n    securityContext: {privileged: true}\n`,
      `${head}  - name: main\n    image: nginx\n  - ${tok}\n`,
      `${head}  - name: main\n    image: nginx\n    env:\n    - {name: a, value: ${tok}}\n    - name: b\n`,
    ]),
  );
}

test('kubectl reads generated under-indented continuations as kfguard does', requiresKubectl(), () => {
  const texts = continuationCases();
  const oracle = kubectlDecodeAll(texts);
  const problems = texts.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
  assert.deepEqual(problems, []);
  // Most of them kubectl applies: the test is about reading them, not about agreeing on refusals.
  assert.ok(oracle.filter((o) => o.error === undefined).length > texts.length / 2);
});

test('kubectl reads each differential case as kfguard does', requiresKubectl(), () => {
  const texts = Object.values(CASES).map((c) => c.text);
  const oracle = kubectlDecodeAll(texts);
  const problems = Object.keys(CASES).flatMap((name, i) => {
    assert.equal(oracle[i]!.error, undefined, `${name}: kubectl applies it`);
    return compareWithKubectl(texts[i]!, oracle[i]!).map((p) => `${name}: ${p}`);
  });
  assert.deepEqual(problems, []);
});

test('each differential case is read without an input error', () => {
  for (const [name, { text }] of Object.entries(CASES)) {
    const { documents, errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
    assert.deepEqual(errors, [], name);
    assert.equal(documents.length, 1, name);
  }
});

test('the findings of each differential case survive at scan level', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-exact-'));
  try {
    for (const [name, { text, rules }] of Object.entries(CASES)) {
      const file = join(dir, 'pod.yaml');
      writeFileSync(file, text);
      const report = await scanManifests({ paths: [file], cwd: dir, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES });
      const found = new Set(report.findings.map((f) => f.ruleId));
      for (const rule of rules) assert.ok(found.has(rule), `${name}: ${rule} expected; got ${[...found].join(', ')}`);
      assert.deepEqual(report.errors, [], name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** 3. Nesting kubectl reads but kfguard's readers cannot follow: the rest of the document is still judged. */
const DEEP = {
  'a run of 3,000 `- ` entries on one line': `${POD}  hostPID: true\n  containers:\n  - name: main\n    image: nginx\n    command: [sh, -c, "${MINER}"]\n    securityContext:\n      privileged: true\n    x:\n    ${'- '.repeat(3000)}a\n`,
  '600 levels of [': `${POD}  hostPID: true\n  containers:\n  - name: main\n    image: nginx\n    command: [sh, -c, "${MINER}"]\n    securityContext:\n      privileged: true\n    x: ${'['.repeat(600)}1${']'.repeat(600)}\n`,
};

test('a document nested deeper than kfguard reads keeps its other findings, and the cut is a finding', requiresKubectl(), async () => {
  const texts = Object.values(DEEP);
  const oracle = kubectlDecodeAll(texts);
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-deep-'));
  try {
    for (const [i, [name, text]] of Object.entries(DEEP).entries()) {
      assert.equal(oracle[i]!.error, undefined, `${name}: kubectl applies it`);
      const file = join(dir, 'pod.yaml');
      writeFileSync(file, text);
      const report = await scanManifests({ paths: [file], cwd: dir, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES });
      const found = new Set(report.findings.map((f) => f.ruleId));
      for (const rule of ['pod-privileged', 'pod-host-namespaces', 'crypto-miner-workload']) assert.ok(found.has(rule), `${name}: ${rule}; got ${[...found].join(', ')}`);
      assert.deepEqual(report.errors, [], name);
      const cut = report.findings.find((f) => f.ruleId === 'manifest-parse-ambiguity' && f.evidence.some((e) => e.includes('is cut and read as null')));
      // Past 500 levels of [ the cut is certain; a run of `- ` is cut only where the stack overflowed.
      if (name.includes('[')) assert.ok(cut, `${name}: the cut is a finding`);
      if (cut) assert.ok(['high', 'critical'].includes(cut.severity), name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Texts with nothing else that leaves the fast path: an anchor before a YAML 1.1 scalar, and
 * numeric keys Go formats otherwise than js-yaml (float32, past 2^53). Before the route looked
 * past anchors, `privileged: &p yes` read as the string "yes" and the Pod was not privileged.
 */
const ROUTE_CASES = [
  'spec:\n  a: &x 0777\n  b: [c, &y yes]\n  &k 0777: v\n',
  'spec:\n  123456789.0: a\n  - 1e6\n',
  'spec:\n  1e6: a\n  3.14159265358979: b\n  12345678901234567890: c\n  - 123456789.0: d\n',
  'spec: {123456789.0: a, 16777217.0: b}\n',
].map((body) => `apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: x}\n${body}`);

test('anchored YAML 1.1 scalars and numeric keys leave the fast path, as kubectl reads them', requiresKubectl(), async () => {
  const oracle = kubectlDecodeAll(ROUTE_CASES);
  const problems = ROUTE_CASES.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
  assert.deepEqual(problems, []);
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: &h yes\n  containers:\n  - name: main\n    image: nginx\n    securityContext:\n      privileged: &p on\n';
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-anchor-'));
  try {
    const file = join(dir, 'pod.yaml');
    writeFileSync(file, pod);
    const report = await scanManifests({ paths: [file], cwd: dir, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES });
    const found = new Set(report.findings.map((f) => f.ruleId));
    for (const rule of ['pod-privileged', 'pod-host-namespaces']) assert.ok(found.has(rule), rule);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
