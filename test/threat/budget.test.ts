import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBudget, DEFAULT_LIMITS, MAX_SEARCH_DEPTH, unlimitedBudget, type Budget } from '../../src/core/budget.js';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { RuleContext, Violation } from '../../src/core/rule.js';
import type { K8sObject } from '../../src/core/types.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { CUT_SHORT, SCAN_LIMITS } from '../../src/threat/scan-queue.js';
import { MAX_RESOLVED_CHARS, resolveVariables } from '../../src/threat/variables.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
/** `echo PAYLOAD | base64 -d | sh`: one base64 layer around a script. */
const wrapBase64 = (script: string): string => `echo ${b64(script)} | base64 -d | sh`;

function pod(container: Record<string, unknown>): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ml' }, spec: { containers: [{ name: 'c', image: 'alpine:3', ...container }] } };
}

/** The rule's findings for `object` under `budget`; the budget is what these tests are about. */
function judge(object: K8sObject, budget: Budget): Violation[] {
  // The rule reads neither the source nor the origin, so they are left out rather than faked.
  const ctx = { source: 'manifest', budget, inventory: buildInventory([]), config: DEFAULT_CONFIG } as unknown as RuleContext;
  return [...(cryptoMinerWorkload.check?.(object, ctx) ?? [])];
}

function evidenceOf(violations: readonly Violation[]): string[] {
  assert.equal(violations.length, 1, 'expected one finding');
  return [...(violations[0]?.evidence ?? [])];
}

describe('crypto-miner-workload under a budget', () => {
  it('records the depth limit for a payload nested deeper than it, and says so in the evidence', () => {
    const deepest = './xmrig -o stratum+tcp://deep.example:4444';
    // Four base64 layers inside sh -c inside eval. The outer base64 is also plain text of the
    // script, so its layers count from there: the Stratum URL sits one level past the limit.
    let payload = deepest;
    for (let layer = 0; layer <= SCAN_LIMITS.maxDepth; layer++) payload = wrapBase64(payload);
    const script = `./xmrig --donate-level 1; eval "sh -c '${payload}'"`;
    const budget = createBudget(DEFAULT_LIMITS);
    const evidence = evidenceOf(judge(pod({ command: ['sh', '-c', script] }), budget));
    assert.ok(budget.exhausted.includes(CUT_SHORT.depth), budget.exhausted.join('\n'));
    assert.ok(evidence.includes(`scan cut short: ${CUT_SHORT.depth}`), evidence.join('\n'));
    assert.ok(evidence.some((e) => e.startsWith('miner binary "xmrig"')), evidence.join('\n'));
    assert.ok(!evidence.some((e) => e.includes('deep.example')), evidence.join('\n'));
  });

  it('records nothing when everything fits', () => {
    const budget = createBudget(DEFAULT_LIMITS);
    const evidence = evidenceOf(judge(pod({ command: ['sh', '-c', `sh -c '${wrapBase64('./xmrig -o stratum+tcp://p.example:3333')}'`] }), budget));
    assert.deepEqual(budget.exhausted, []);
    assert.ok(evidence.some((e) => e.startsWith('Stratum URL') && e.includes('base64 layer 2')), evidence.join('\n'));
    assert.ok(!evidence.some((e) => e.startsWith('scan cut short')), evidence.join('\n'));
  });

  it('stops at once when the time budget is already spent, keeping what was found before the queue', () => {
    const budget = createBudget({ timeMs: 0, bytes: DEFAULT_LIMITS.bytes });
    const spin = performance.now() + 2;
    while (performance.now() < spin); // make sure the deadline has passed on any clock resolution
    const miner = pod({ image: 'metal3d/xmrig:latest', args: ['-o', 'stratum+tcp://late.example:3333'] });
    const evidence = evidenceOf(judge(miner, budget));
    assert.ok(budget.exhausted.includes(CUT_SHORT.time), budget.exhausted.join('\n'));
    assert.ok(evidence.some((e) => e.startsWith('known miner image')), evidence.join('\n'));
    assert.ok(evidence.includes(`scan cut short: ${CUT_SHORT.time}`), evidence.join('\n'));
    assert.ok(!evidence.some((e) => e.includes('late.example')), evidence.join('\n'));
  });

  it('keeps the signals found before the time budget ran out mid-scan', () => {
    const env = Array.from({ length: 40 }, (_, i) => ({ name: `V${i}`, value: `value ${i}` }));
    env[0] = { name: 'FIRST', value: 'stratum+tcp://first.example:3333' };
    env[39] = { name: 'LAST', value: 'stratum+tcp://last.example:3333' };
    // A clock the test controls: time runs out after ten text units have been read.
    let checks = 0;
    const reasons: string[] = [];
    const room = unlimitedBudget();
    const budget: Budget = {
      limits: room.limits,
      take: (bytes) => room.take(bytes),
      get remainingBytes() {
        return room.remainingBytes;
      },
      timeUp: () => ++checks > 10,
      exhaust: (reason) => void reasons.push(reason),
      exhausted: reasons,
    };
    const evidence = evidenceOf(judge(pod({ env }), budget));
    assert.ok(evidence.some((e) => e.includes('first.example') && e.includes('env FIRST')), evidence.join('\n'));
    assert.ok(!evidence.some((e) => e.includes('last.example')), evidence.join('\n'));
    assert.ok(reasons.includes(CUT_SHORT.time), reasons.join('\n'));
  });

  it('stops decoding when the byte budget runs out, and says why', () => {
    const script = `./xmrig --donate-level 1; ${wrapBase64('curl -s stratum+tcp://hidden.example:3333')}`;
    const object = pod({ command: ['sh', '-c', script] });
    // With room to decode, the hidden URL is found: the small budget below is what hides it.
    assert.ok(evidenceOf(judge(object, unlimitedBudget())).some((e) => e.includes('hidden.example')));
    const budget = createBudget({ timeMs: Number.POSITIVE_INFINITY, bytes: 16 });
    const evidence = evidenceOf(judge(object, budget));
    assert.ok(budget.exhausted.includes(CUT_SHORT.bytes), budget.exhausted.join('\n'));
    assert.ok(evidence.includes(`scan cut short: ${CUT_SHORT.bytes}`), evidence.join('\n'));
    assert.ok(evidence.some((e) => e.startsWith('miner binary "xmrig"')), evidence.join('\n'));
    assert.ok(!evidence.some((e) => e.includes('hidden.example')), evidence.join('\n'));
  });

  it('reads a script past 256 KiB of padding: padding does not hide what follows it', () => {
    const budget = createBudget(DEFAULT_LIMITS);
    const padded = `echo start ${' '.repeat(300 * 1024)}\n${'#'.repeat(200 * 1024)}\n./xmrig -o stratum+tcp://after-padding.example:3333`;
    const evidence = evidenceOf(judge(pod({ command: ['sh', '-c', padded] }), budget));
    assert.deepEqual(budget.exhausted, []);
    assert.ok(evidence.some((e) => e.startsWith('Stratum URL') && e.includes('after-padding.example')), evidence.join('\n'));
    assert.ok(evidence.some((e) => e.startsWith('miner binary "xmrig"')), evidence.join('\n'));
  });

  it('a text longer than the hard cap is a finding of its own, and what precedes the cut is still read', () => {
    const budget = createBudget(DEFAULT_LIMITS);
    const padded = `./xmrig --donate-level 1 ${' '.repeat(SCAN_LIMITS.maxTextChars)} -o stratum+tcp://beyond.example:3333`;
    const evidence = evidenceOf(judge(pod({ command: ['sh', '-c', padded] }), budget));
    assert.ok(budget.exhausted.includes(CUT_SHORT.text), budget.exhausted.join('\n'));
    assert.ok(evidence.some((e) => e.startsWith(`text not examined "${CUT_SHORT.text}" in container "c" command[2]`)), evidence.join('\n'));
    assert.ok(evidence.some((e) => e.startsWith('miner binary "xmrig"')), evidence.join('\n'));
    const alone = evidenceOf(judge(pod({ command: ['sh', '-c', `echo ${' '.repeat(SCAN_LIMITS.maxTextChars)}`] }), createBudget(DEFAULT_LIMITS)));
    assert.ok(alone.some((e) => e.includes(CUT_SHORT.text)), 'padding alone past the cap is reported');
  });

  it('analyses the commands of every command substitution, not only the first ones', () => {
    const script = `${Array.from({ length: 40 }, (_, i) => `v${i}=$(echo ${i})`).join('; ')}; r=$(./xmrig --donate-level 1)`;
    const budget = createBudget(DEFAULT_LIMITS);
    const evidence = evidenceOf(judge(pod({ command: ['sh', '-c', script] }), budget));
    assert.deepEqual(budget.exhausted, []);
    assert.ok(evidence.some((e) => e.startsWith('miner binary "xmrig"')), evidence.join('\n'));
  });

  it('a decoded layer larger than is built is reported as a finding of its own, at least medium', () => {
    // A benign-looking base64 layer of 1.5 MB: the first MiB holds nothing, the rest is not built.
    const layer = Buffer.from(`echo ${'a'.repeat(SCAN_LIMITS.maxLayerChars + 512 * 1024)}`).toString('base64');
    const budget = createBudget({ timeMs: Number.POSITIVE_INFINITY, bytes: DEFAULT_LIMITS.bytes });
    const violations = judge(pod({ command: ['sh', '-c', `echo ${layer} | base64 -d | sh`] }), budget);
    const evidence = evidenceOf(violations);
    assert.equal(violations[0]?.severity, 'medium');
    assert.ok(evidence.some((e) => e.startsWith(`text not examined "${CUT_SHORT.length}"`)), evidence.join('\n'));
    assert.ok(budget.exhausted.includes(CUT_SHORT.length), budget.exhausted.join('\n'));
  });

  it('an 80 KB value expanded many times is capped, and the finding before it is kept', () => {
    const big = 'x'.repeat(80 * 1024);
    const script = `a=${big}; ./xmrig -o stratum+tcp://kept.example:3333; ${'$a'.repeat(4_000)}`;
    const budget = createBudget(DEFAULT_LIMITS);
    let violations: Violation[] = [];
    assert.doesNotThrow(() => (violations = judge(pod({ command: ['sh', '-c', script] }), budget)));
    const evidence = evidenceOf(violations);
    assert.equal(violations[0]?.severity, 'critical');
    assert.ok(evidence.some((e) => e.includes('kept.example')), evidence.join('\n'));
    assert.ok(evidence.includes(`scan cut short: ${CUT_SHORT.length}`), evidence.join('\n'));
  });

  const nestedWorkflow = (levels: number): K8sObject => {
    let nested: Record<string, unknown> = { parameters: [{ name: 'p', value: './xmrig -o stratum+tcp://deep.example:3333' }] };
    for (let level = 0; level < levels; level++) nested = { inner: nested };
    return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w', namespace: 'ml' }, spec: nested } as K8sObject;
  };

  it('searches workflow fields for parameters as deep as any reader reads', () => {
    const budget = createBudget(DEFAULT_LIMITS);
    assert.equal(judge(nestedWorkflow(20), budget)[0]?.severity, 'critical');
    assert.deepEqual(budget.exhausted, []);
  });

  it('says when workflow fields nest deeper than they are searched for parameters', () => {
    const workflow = nestedWorkflow(MAX_SEARCH_DEPTH + 5);
    const budget = createBudget(DEFAULT_LIMITS);
    // Fields nested past the search are themselves the finding: medium, with the reason.
    const violations = judge(workflow, budget);
    assert.equal(violations[0]?.severity, 'medium');
    assert.ok(evidenceOf(violations).includes(`text not examined "${CUT_SHORT.fieldDepth}" in the object`), evidenceOf(violations).join('\n'));
    assert.deepEqual(budget.exhausted, [CUT_SHORT.fieldDepth]);
  });

  it('says when a Ray job holds more metadata entries than are read, so a payload past them is no silent pass', () => {
    // The entrypoint reads its stage from job metadata; 1,000 decoys push the payload past the cap.
    const metadata: Record<string, string> = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`decoy${i}`, 'v']));
    metadata.stage = wrapBase64('./xmrig -o pool.supportxmr.com:443 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A');
    const job: K8sObject = { apiVersion: 'ray.io/v1', kind: 'RayJob', metadata: { name: 'j', namespace: 'ml' }, spec: { entrypoint: 'python stage.py', metadata } };
    const budget = createBudget(DEFAULT_LIMITS);
    assert.equal(judge(job, budget)[0]?.severity, 'medium');
    assert.deepEqual(budget.exhausted, [CUT_SHORT.entries]);
  });

  it('says when code runs more commands than are followed, so decoy calls cannot push the miner past the cap', () => {
    const wallet = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
    const code = `import os, subprocess\n${'os.system("true")\n'.repeat(64)}subprocess.Popen(["/tmp/kworker", "-o", "model-cache:443", "-u", "${wallet}"])\n`;
    const budget = createBudget(DEFAULT_LIMITS);
    assert.equal(judge(pod({ command: ['python3', '-c', code] }), budget)[0]?.severity, 'medium');
    assert.deepEqual(budget.exhausted, [CUT_SHORT.calls]);
  });

  it('says when decoy assignments push the variable an exec runs past those read', () => {
    const wallet = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
    const rot13 = (text: string): string => text.replace(/[a-z]/gi, (c) => String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c === c.toLowerCase() ? 97 : 65)));
    const hidden = rot13(`import os\\nos.system("/tmp/kworker -o model-cache:443 -u ${wallet}")`);
    const decoys = Array.from({ length: 4_100 }, (_, i) => `v${i} = ${i}`).join('\n');
    const code = `import codecs\n${decoys}\na = '${hidden}'\nexec(codecs.decode(a, 'rot13'))\n`;
    const budget = createBudget(DEFAULT_LIMITS);
    assert.equal(judge(pod({ command: ['python3', '-c', code] }), budget)[0]?.severity, 'medium');
    assert.deepEqual(budget.exhausted, [CUT_SHORT.python]);
  });
});

describe('variables resolved from env', () => {
  it('an 80 KB env value referenced thousands of times is capped, and the miner next to it is still found', () => {
    const big = 'x'.repeat(80 * 1024);
    const object = pod({ env: [{ name: 'PAD', value: big }], args: ['./xmrig', '-o', 'stratum+tcp://env.example:3333', ...Array.from({ length: 3_000 }, () => '$(PAD)$(PAD)')] });
    let violations: Violation[] = [];
    assert.doesNotThrow(() => (violations = judge(object, createBudget(DEFAULT_LIMITS))));
    assert.equal(violations[0]?.severity, 'critical');
    const joined = resolveVariables('$(PAD) '.repeat(100), new Map([['PAD', { value: big, from: 'env PAD' }]]));
    assert.equal(joined.text.length, MAX_RESOLVED_CHARS);
    assert.ok(joined.replaced.some((r) => r.startsWith('(resolved text cut at')));
  });
});
