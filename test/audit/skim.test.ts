import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { auditEventOf, isJudgedStage, isWorthJudging } from '../../src/audit/event.js';
import { skimLine, type Skimmed } from '../../src/audit/skim.js';
import { requiresShared, sharedAvailable, sharedPath } from '../../src/testing/shared.js';
import { auditEvent, pipelinePod } from './events.js';

/** What the hunt decides from the parsed line: the verdict skimming must match when it gives one. */
function parsedVerdict(line: string): Skimmed | 'judged' | 'malformed' {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'malformed';
  }
  const event = auditEventOf(value);
  if (typeof event === 'string') return 'malformed';
  if (!isJudgedStage(event)) return 'other-stage';
  return isWorthJudging(event) ? 'judged' : 'unjudged';
}

/** Skimming may decline (undefined: the line is parsed), never disagree with the parse. */
function assertAgrees(line: string): Skimmed | undefined {
  const skimmed = skimLine(line);
  if (skimmed !== undefined) assert.equal(skimmed, parsedVerdict(line), line.slice(0, 400));
  return skimmed;
}

const line = (spec: Parameters<typeof auditEvent>[0], edit?: (event: Record<string, unknown>) => Record<string, unknown>): string => {
  const event = auditEvent(spec);
  return JSON.stringify(edit ? edit(event) : event);
};
const controller = 'system:serviceaccount:kube-system:replicaset-controller';

describe('skimming an audit line before JSON.parse', () => {
  test('a controller\'s get, list and watch, and RequestReceived stages, are counted unparsed', () => {
    assert.equal(assertAgrees(line({ verb: 'list', user: controller, resource: 'pods', namespace: 'a' })), 'unjudged');
    assert.equal(assertAgrees(line({ verb: 'watch', user: controller, resource: 'pods', stage: 'ResponseStarted' })), 'unjudged');
    assert.equal(assertAgrees(line({ verb: 'get', user: controller, resource: 'pods', stage: 'ResponseStarted' })), 'other-stage');
    assert.equal(assertAgrees(line({ verb: 'create', resource: 'pods', namespace: 'a', stage: 'RequestReceived', requestObject: pipelinePod('a', 'p') })), 'other-stage');
  });

  test('whatever a detection may read is parsed: writes, exec and attach, anonymous and impersonated reads', () => {
    const parsed = [
      line({ verb: 'create', resource: 'pods', namespace: 'a', name: 'p', requestObject: pipelinePod('a', 'p') }),
      line({ verb: 'delete', user: controller, resource: 'pods', namespace: 'a', name: 'p' }),
      line({ verb: 'get', resource: 'pods', subresource: 'exec', namespace: 'a', name: 'p' }),
      line({ verb: 'create', resource: 'pods', subresource: 'attach', namespace: 'a', name: 'p', stage: 'ResponseStarted' }),
      line({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'a', name: 'p' }),
      line({ verb: 'list', user: 'system:anonymous', groups: ['system:unauthenticated'], resource: 'pods' }),
      line({ verb: 'list', user: 'someone', groups: ['system:unauthenticated'], resource: 'pods' }),
      line({ verb: 'list', user: controller, resource: 'pods' }, (e) => insertAfter(e, 'user', 'impersonatedUser', { username: 'system:anonymous' })),
    ];
    for (const text of parsed) assert.equal(assertAgrees(text), undefined, text.slice(0, 300));
  });

  test('nothing inside a string or a nested object passes for a top-level field', () => {
    // An escaped user name decodes to system:anonymous: the user is taken only without escapes.
    const escaped = line({ verb: 'list', user: 'system:anonymou\u0073', resource: 'pods' }).replace('system:anonymous', 'system:anonymou\\u0073');
    assert.equal(JSON.parse(escaped).user.username, 'system:anonymous');
    assert.equal(assertAgrees(escaped), undefined);
    // A create whose requestObject carries a top-level-looking "verb":"get" later in the line.
    const create = line({ verb: 'create', resource: 'configmaps', namespace: 'a', name: 'c', requestObject: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { verb: 'get', stage: 'RequestReceived' } } });
    assert.equal(assertAgrees(create), undefined);
    // Fields out of the API server's order: parsed, whatever the text holds.
    const reordered = JSON.stringify({ requestObject: { verb: 'get' }, ...auditEvent({ verb: 'create', resource: 'pods', namespace: 'a' }) });
    assert.equal(assertAgrees(reordered), undefined);
    // A URI and user agent full of quotes, braces and backslashes are read whole.
    const odd = line({ verb: 'get', user: controller, resource: 'pods', requestURI: '/api/v1/pods?x="},"verb":"create","user":{"username":"system:anonymous"}\\', userAgent: 'a"},"objectRef":{"subresource":"exec"}\\' });
    assert.equal(assertAgrees(odd), 'unjudged');
  });

  test('a line cut off or corrupt where it is read is parsed, and reported malformed', () => {
    const whole = line({ verb: 'list', user: controller, resource: 'pods' });
    assert.equal(assertAgrees(whole.slice(0, -20)), undefined);
    assert.equal(assertAgrees(whole.replace('"stage":"ResponseComplete"', '"stage":ResponseComplete')), undefined);
  });

  test('every combination of verb, stage, actor and subresource agrees with the parse', () => {
    const verbs = ['get', 'list', 'watch', 'proxy', 'create', 'update', 'patch', 'delete', 'deletecollection'];
    const stages = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic', 'Unknown'];
    const actors: [string, string[]][] = [[controller, ['system:serviceaccounts']], ['system:anonymous', ['system:unauthenticated']], ['bob', ['system:unauthenticated']], ['alice', ['system:authenticated', 'oidc:ml']]];
    const subresources = [undefined, 'exec', 'attach', 'portforward', 'proxy', 'log', 'status'];
    let skimmed = 0;
    let total = 0;
    for (const verb of verbs)
      {for (const stage of stages)
        {for (const [user, groups] of actors)
          {for (const subresource of subresources) {
            total++;
            if (assertAgrees(line({ verb, stage, user, groups, resource: 'pods', namespace: 'a', name: 'p', ...(subresource ? { subresource } : {}) })) !== undefined) skimmed++;
          }}}}
    // Every RequestReceived (252) and the authenticated reads without a subresource are skimmed.
    assert.ok(skimmed >= 280, `${skimmed} of ${total}`);
  });

  test('a long field that fails late is parsed, not skimmed (its time is measured in docs/benchmarks.md, not here)', () => {
    const head = '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a","stage":"ResponseComplete","requestURI":"/x","verb":"get",';
    // Each ends where the match fails: a backslash, a missing brace or key, after a long run of text.
    const hostile: ((n: number) => string)[] = [
      (n) => `${head}"user":{"username":"${'a'.repeat(n)}\\"x"},"sourceIPs":[],"objectRef":{}}`,
      (n) => `${head}"user":{"username":"u","extra":{"k":["${'a'.repeat(n)}"]}${'b'.repeat(n)},"sourceIPs":[],"objectRef":{}}`,
      (n) => `${head}"user":{"username":"u"},"sourceIPs":[${'"1",'.repeat(n / 4)}],"objectRef":{}}`,
      (n) => `${head}"user":{"username":"u"},"sourceIPs":[],"userAgent":"${'\\"'.repeat(n / 2)},"objectRef":{"a":"b"}}`,
      (n) => `${head.replace('"/x"', `"${'\\/'.repeat(n / 2)}`)}"user":{}}`,
      (n) => `${head}"user":{"username":"u"},"sourceIPs":[],"objectRef":{${'"a":"b",'.repeat(n / 8)}\\}}`,
    ];
    for (const make of hostile) assert.equal(assertAgrees(make(100_000)), undefined);
  });

  test('the real samples: skimming agrees with the parse on every line', requiresShared(), () => {
    const files = sharedAvailable ? readdirSync(sharedPath('schemas', 'audit', 'falco-k8s-audit')).filter((f) => f.endsWith('.json')).map((f) => sharedPath('schemas', 'audit', 'falco-k8s-audit', f)) : [];
    let lines = 0;
    for (const file of [...files, sharedPath('schemas', 'audit', 'audit2rbac', 'demo.log')]) {
      for (const text of readFileSync(file, 'utf8').split('\n')) {
        if (text.trim() === '') continue;
        lines++;
        assertAgrees(text);
      }
    }
    assert.ok(lines > 50);
  });
});

function insertAfter(event: Record<string, unknown>, after: string, key: string, value: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(event).flatMap(([k, v]) => (k === after ? [[k, v], [key, value]] : [[k, v]])));
}
