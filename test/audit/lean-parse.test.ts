import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { writeAuditLog } from '../../bench/audit-log-gen.js';
import { AuditHunt, type AuditHuntResult } from '../../src/audit/hunt-log.js';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import { AuditRecordCutter, DEFAULT_RECORD_LIMITS, parsedRecords, type CutRecord } from '../../src/audit/read/audit-records.js';
import { leanParse, parseAuditLine } from '../../src/audit/read/lean-parse.js';
import { fileChunks } from '../../src/audit/read/open-input.js';
import { skimLine } from '../../src/audit/skim.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { requiresShared, sharedAvailable, sharedPath } from '../../src/testing/shared.js';
import { auditEvent, pipelinePod } from './events.js';

/**
 * What the lean parse must equal when it answers: the whole parse without the responseObject, but
 * with it when the requestObject names nothing (a create by generateName: only the stored copy
 * has the name the API server chose).
 */
function withoutResponse(line: string): unknown {
  const value = JSON.parse(line) as Record<string, unknown>;
  const name = (value.requestObject as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
  if (typeof name === 'string' && name !== '') delete value.responseObject;
  return value;
}

/** The lean parse may decline (the line is then parsed whole), never differ from the whole parse. */
function assertAgrees(line: string): boolean {
  const lean = leanParse(line);
  if (lean === undefined) return false;
  assert.deepEqual(lean.value, withoutResponse(line), line.slice(0, 300));
  return true;
}

const pod = (extra: Record<string, unknown> = {}) => ({ ...pipelinePod('a', 'p'), ...extra });
const create = (requestObject: unknown, responseObject: unknown, edit?: (e: Record<string, unknown>) => Record<string, unknown>): string => {
  const event = auditEvent({ verb: 'create', resource: 'pods', namespace: 'a', name: 'p', requestObject, responseObject });
  return JSON.stringify(edit ? edit(event) : event);
};

describe('parsing an audit line without the responseObject nothing reads', () => {
  test('a create or update with both objects is parsed without its responseObject', () => {
    assert.equal(assertAgrees(create(pod(), { ...pod(), status: { phase: 'Pending' } })), true);
    const update = JSON.stringify(auditEvent({ verb: 'update', resource: 'pods', namespace: 'a', name: 'p', requestObject: pod(), responseObject: pod() }));
    assert.equal(assertAgrees(update), true);
    assert.equal(parseAuditLine(update)?.value !== undefined, true);
  });

  test('whatever may read the responseObject is parsed whole', () => {
    const declined = [
      // A patch is judged on the stored object.
      JSON.stringify(auditEvent({ verb: 'patch', resource: 'pods', namespace: 'a', name: 'p', requestObject: { metadata: { labels: { a: 'b' } } }, responseObject: pod() })),
      // A requestObject that is not a whole object: the responseObject is the object judged.
      create({ metadata: { name: 'p' } }, pod()),
      create('not an object', pod()),
      // Stages other than the final one, fields out of the API server's order.
      create(pod(), pod(), (e) => ({ ...e, stage: 'ResponseStarted' })),
      JSON.stringify({ requestObject: pod(), ...auditEvent({ verb: 'create', resource: 'pods', namespace: 'a', responseObject: pod() }) }),
      // No responseObject at all.
      create(pod(), undefined),
    ];
    for (const line of declined) assert.equal(leanParse(line), undefined, line.slice(0, 200));
    for (const line of declined) assert.deepEqual(parseAuditLine(line)?.value, JSON.parse(line));
  });

  test('keys named like the cut points inside the objects or the annotations are no cut points', () => {
    const fakeResponse = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w' }, spec: { a: { responseObject: { x: 1 }, requestReceivedTimestamp: 'x' }, templates: [{ name: 'main', container: { image: 'x', args: ['stratum+tcp://pool.example.com:3333'] } }] } };
    // In the requestObject: a cut there would drop the templates after it.
    assert.equal(assertAgrees(create(fakeResponse, pod())), true);
    // In the responseObject and the audit annotations: declined or cut whole, never mid-object.
    assertAgrees(create(pod(), fakeResponse));
    assertAgrees(create(pod(), pod(), (e) => ({ ...e, annotations: { z: 'x', requestReceivedTimestamp: 'y', responseObject: 'q' } })));
    // In strings: quotes inside a string are escaped, so no key pattern can be read there.
    assertAgrees(create(pod({ metadata: { name: 'p', annotations: { n: '","responseObject":{},"requestReceivedTimestamp":"x"}' } } }), pod()));
  });

  test('a create by generateName: the stored copy is parsed too, for the name the API server chose', () => {
    const sent = pod({ metadata: { generateName: 'p-', namespace: 'a' } });
    const storedPod = pod({ metadata: { name: 'p-x7k2p', generateName: 'p-', namespace: 'a' } });
    const line = create(sent, storedPod);
    assert.equal(assertAgrees(line), true);
    assert.deepEqual((leanParse(line)?.value as { responseObject?: unknown }).responseObject, storedPod);
    // A second top-level responseObject after the timestamp: which one the whole parse keeps depends
    // on key order, so the line is parsed whole.
    const twice = line.replace(/\}$/, ',"responseObject":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"other"}}}');
    assert.equal(leanParse(twice), undefined);
    assert.deepEqual(parseAuditLine(twice)?.value, JSON.parse(twice));
    // A stored copy that is not JSON: the whole parse fails, and so must the line (reported malformed).
    const corrupt = create(sent, storedPod).replace('"p-x7k2p"', 'p-x7k2p');
    assert.equal(parseAuditLine(corrupt), undefined);
  });

  test('a line cut off or corrupt outside the responseObject is parsed whole and reported malformed', () => {
    const whole = create(pod(), pod());
    for (const cut of [20, 200, whole.length - 300, whole.length - 1]) assert.equal(parseAuditLine(whole.slice(0, cut)), undefined);
    assert.equal(parseAuditLine(whole.replace('"kind":"Pod"', '"kind":Pod')), undefined);
    assert.equal(parseAuditLine(whole.replace('"stageTimestamp":"', '"stageTimestamp":')), undefined);
  });

  test('a top-level key repeated anywhere (JSON.parse keeps the last): declined, or the same event as the whole parse', async () => {
    const evil = { ...pod(), spec: { containers: [{ name: 'c', image: 'xmrig/xmrig:latest', command: ['xmrig', '-o', 'pool.supportxmr.com:3333'] }] } };
    const base = create(pod(), pod());
    const keys = Object.keys(JSON.parse(base) as object);
    assert.ok(keys.includes('requestObject') && keys.includes('verb') && keys.includes('stage'));
    // Values that change what is judged: another object, a verb or stage whose judging reads the responseObject, junk.
    const values = [evil, 'patch', 'update', 'RequestReceived', 'ResponseStarted', 7, null, [evil], { verb: 'patch' }];
    const at = (line: string, where: string): number =>
      where === 'after-response' ? line.lastIndexOf(',"requestReceivedTimestamp":"') : where === 'before-response' ? line.lastIndexOf(',"responseObject":') : where === 'after-verb' ? line.indexOf(',', line.indexOf('"verb":')) : line.length - 1;
    let answered = 0;
    for (const key of [...keys, 'x']) {
      for (const value of values) {
        for (const where of ['after-response', 'before-response', 'after-verb', 'end']) {
          const i = at(base, where);
          const line = `${base.slice(0, i)},${JSON.stringify(key)}:${JSON.stringify(value)}${base.slice(i)}`;
          const whole = JSON.parse(line) as { verb?: unknown; stage?: unknown };
          if (!assertAgrees(line)) continue;
          answered++;
          // Answered only where the whole parse would judge the requestObject alone (hunt-log.ts afterOf).
          assert.ok((whole.verb === 'create' || whole.verb === 'update') && (whole.stage === 'ResponseComplete' || whole.stage === 'Panic'), line.slice(0, 300));
        }
      }
    }
    assert.ok(answered > 100, `${answered} answered`);
  });

  test('the reviewer\'s forged lines judge what the whole parse judges', async () => {
    const evil = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { hostPID: true, containers: [{ name: 'c', image: 'xmrig/xmrig:latest', command: ['xmrig', '-o', 'pool.supportxmr.com:3333'], securityContext: { privileged: true } }] } };
    const benign = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } };
    const plain = create(benign, benign);
    const tail = plain.lastIndexOf(',"requestReceivedTimestamp":"');
    // A second requestObject after the responseObject; a second verb after the head.
    const duplicateRequest = `${plain.slice(0, tail)},"requestObject":${JSON.stringify(evil)}${plain.slice(tail)}`;
    const repeatedVerb = create(benign, evil).replace(/"verb":"create",/, '"verb":"create","verb":"patch",');
    assert.ok(repeatedVerb.includes('"verb":"patch"'));
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-lean-dup-'));
    try {
      for (const [name, line] of [['duplicate-request', duplicateRequest], ['repeated-verb', repeatedVerb]] as const) {
        assert.equal(leanParse(line), undefined, name);
        const log = join(dir, `${name}.log`);
        writeFileSync(log, `${line}\n`);
        const lean = await huntAuditLogs([{ path: log, display: log }], { rules: auditRules });
        assert.deepEqual(lean, await huntParsingWhole([log]), name);
        assert.equal(lean.findings.find((f) => f.ruleId === 'crypto-miner-workload')?.severity, 'critical', name);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('random events: the lean parse agrees with the whole parse whenever it answers', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '{', '}', '[', ']', ',', ':', 'responseObject', 'requestReceivedTimestamp', '"responseObject":', ',"requestReceivedTimestamp":"', 'é') });
    const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.oneof(text, fc.constantFrom('responseObject', 'requestReceivedTimestamp', 'kind', 'apiVersion')), tie('value'), { maxKeys: 3 })),
    })).value;
    // Named, or by generateName (the stored copy is then parsed too), or with an empty name.
    const metadata = fc.oneof(fc.record({ name: text }), fc.record({ generateName: text }), fc.record({ name: fc.constant(''), generateName: text }));
    const object = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constantFrom('Pod', 'Workflow'), metadata, spec: json });
    let answered = 0;
    let answeredUnnamed = 0;
    fc.assert(
      fc.property(fc.constantFrom('create', 'update', 'patch'), fc.oneof(object, json), fc.oneof(object, json), fc.dictionary(text, text, { maxKeys: 3 }), (verb, requestObject, responseObject, annotations) => {
        const line = JSON.stringify({ ...auditEvent({ verb, resource: 'pods', namespace: 'a', requestObject, responseObject }), annotations });
        if (assertAgrees(line)) {
          answered++;
          if ((requestObject as { metadata?: { name?: unknown } }).metadata?.name === undefined) answeredUnnamed++;
        }
      }),
      { numRuns: 500 },
    );
    // The property must have been tested on answers, not only on declines.
    assert.ok(answered > 50, `${answered} answered`);
    assert.ok(answeredUnnamed > 10, `${answeredUnnamed} answered by generateName`);
  });
});

// Every rule that judges audit events: a difference in any object they read would show.
const auditRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit'));

/** The hunt as `huntAuditLogs` runs it, but with every line parsed whole. */
async function huntParsingWhole(files: readonly string[]): Promise<AuditHuntResult> {
  const hunt = new AuditHunt({ rules: auditRules });
  for (const file of files) {
    const cutter = new AuditRecordCutter({ ...DEFAULT_RECORD_LIMITS, skim: skimLine });
    const cuts: CutRecord[] = [];
    for await (const chunk of fileChunks(file)) cutter.push(chunk, cuts);
    cutter.end(cuts);
    for (const cut of cuts) for (const record of parsedRecords(cut)) hunt.feed(record, file);
  }
  return hunt.result();
}

describe('the hunt with the lean parse against the hunt parsing every line whole', () => {
  test('the bench log: identical findings, statistics, coverage and timeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-lean-'));
    try {
      const log = join(dir, 'audit.log');
      // 3 MB: about 200 pod creates (one of them mining at seed 7) and as many lease updates.
      await writeAuditLog(log, 3 * 1024 * 1024, 7);
      const creates = readFileSync(log, 'latin1').split('\n').filter((line) => line.includes('"verb":"create"') && line.includes('"responseObject"'));
      assert.ok(creates.length > 100);
      // The lean path is taken on the bench log's creates, or this comparison would prove nothing.
      for (const line of creates) assert.equal(assertAgrees(line), true);
      const lean = await huntAuditLogs([{ path: log, display: log }], { rules: auditRules });
      assert.deepEqual(lean, await huntParsingWhole([log]));
      assert.ok(lean.stats.judged > 200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the real samples', requiresShared(), async () => {
    const falco = sharedAvailable ? sharedPath('schemas', 'audit', 'falco-k8s-audit') : '';
    const files = [...readdirSync(falco).filter((f) => f.endsWith('.json')).map((f) => join(falco, f)), sharedPath('schemas', 'audit', 'audit2rbac', 'demo.log')];
    for (const file of files) {
      const lean = await huntAuditLogs([{ path: file, display: file }], { rules: auditRules });
      assert.deepEqual(lean, await huntParsingWhole([file]), file);
    }
  });
});
