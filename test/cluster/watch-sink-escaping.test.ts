// What `kfguard watch` writes for people to read (Event notes, PolicyReports, JSON lines on
// stdout, the alert webhook's body) carries names the object's creator chose: an Argo template
// named "m\u001b]0;pwned\u0007\u001b[2J\rFAKE" reaches an image-floating-tag message. `kubectl get
// events` prints a note as it is, so none of these may hold a character a terminal acts on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/core/types.js';
import { policyReportsOfFindings } from '../../src/report/policyreport.js';
import { noteOf } from '../../src/watch/event-sink.js';
import { AlertWebhookSink, JsonLinesSink, type WatchRecord } from '../../src/watch/sinks.js';

// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2066-\u2069]/u;
const HOSTILE = 'm\u001b]0;pwned\u0007\u001b[2J\rFAKE\u202e\u009b31m';

const finding: Finding = {
  ruleId: 'image-floating-tag',
  severity: 'medium',
  category: 'supply-chain',
  title: 'Pipeline, notebook or training image uses a floating tag',
  message: `Pipeline container "${HOSTILE}" uses image tensorflow/tensorflow:latest`,
  resource: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', namespace: 'team-x', name: 'esc-wf' },
  path: 'spec.templates[0]',
  evidence: [`template "${HOSTILE}"`],
  mitre: [],
  remediation: 'Pin a versioned tag.',
  source: 'cluster',
  fingerprint: 'f1',
};
const record: WatchRecord = { kind: 'finding', state: 'open', observedAt: '2026-12-05T00:00:00.000Z', finding };

describe('watch sinks show terminal control characters from objects as escapes', () => {
  test('Event note', () => {
    const note = noteOf(finding);
    assert.doesNotMatch(note, ACTIVE);
    assert.ok(note.includes('m\\u001b]0;pwned\\u0007'), note);
  });

  test('PolicyReports written by --write-policyreports', () => {
    const [doc] = policyReportsOfFindings([finding]) as { results: { message: string; properties: Record<string, string> }[] }[];
    assert.doesNotMatch(doc!.results[0]!.message, ACTIVE);
    assert.doesNotMatch(doc!.results[0]!.properties.evidence!, ACTIVE);
    assert.ok(doc!.results[0]!.message.includes('\\u202e'));
  });

  test('JSON lines on stdout: no raw active character, and the values parse back unchanged', () => {
    let out = '';
    new JsonLinesSink((text) => (out += text)).send(record);
    assert.doesNotMatch(out, ACTIVE);
    assert.deepEqual(JSON.parse(out), record);
  });

  test('alert webhook body: the same', async () => {
    const bodies: string[] = [];
    const sink = new AlertWebhookSink({
      url: 'http://alerts.invalid/hook',
      onTrouble: () => {},
      fetch: (async (_url: unknown, init?: RequestInit) => {
        bodies.push(String(init?.body));
        return new Response(null, { status: 200 });
      }) as typeof fetch,
    });
    sink.send(record);
    await sink.close(1_000);
    assert.equal(bodies.length, 1);
    assert.doesNotMatch(bodies[0]!, ACTIVE);
    assert.deepEqual(JSON.parse(bodies[0]!), record);
  });
});
