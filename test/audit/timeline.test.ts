import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { auditEventOf, type AuditEvent } from '../../src/audit/event.js';
import { Timeline } from '../../src/audit/timeline.js';
import { auditEvent } from './events.js';

// The per-actor entry cap: once full, a request with a finding replaces the newest request without
// one. The timeline skips the part of its search it already knows holds only findings; this checks
// it against the plain policy (search from the end every time) on random request sequences.

function eventAt(second: number, user: string): AuditEvent {
  const event = auditEventOf(auditEvent({ verb: 'create', user, resource: 'pods', namespace: 'ns', name: `p${second}`, at: new Date(Date.UTC(2026, 0, 5, 10, 0, second)).toISOString() }));
  if (typeof event === 'string') throw new Error(event);
  return event;
}

/** The policy as written before the search was shortened: what the timeline must still keep. */
function reference(requests: readonly { id: string; findings: readonly string[] }[], max: number): { ids: string[]; omitted: number } {
  const entries: { id: string; findings: readonly string[] }[] = [];
  let omitted = 0;
  for (const request of requests) {
    if (entries.length < max) entries.push(request);
    else if (request.findings.length > 0) {
      let plain = entries.length - 1;
      while (plain >= 0 && (entries[plain]?.findings.length ?? 0) > 0) plain--;
      if (plain >= 0) entries.splice(plain, 1);
      entries.push(request);
      omitted++;
    } else omitted++;
  }
  return { ids: entries.map((entry) => entry.id), omitted };
}

describe('audit timeline entry cap', () => {
  test('keeps the entries the plain policy keeps, for any mix of requests with and without findings', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 200; round++) {
      const max = 1 + Math.floor(random() * 6);
      const share = random();
      const count = Math.floor(random() * 40);
      const timeline = new Timeline({ maxActors: 10, maxEntriesPerActor: max });
      const requests: { id: string; findings: readonly string[] }[] = [];
      for (let i = 0; i < count; i++) {
        const event = eventAt(i, 'alice');
        const findings = random() < share ? ['rule-a'] : [];
        requests.push({ id: event.auditID, findings });
        // The actor is flagged from its first finding on; one finding up front keeps every round listed.
        timeline.record(event, i === 0 ? ['rule-a'] : findings);
        if (i === 0) requests[0] = { id: event.auditID, findings: ['rule-a'] };
      }
      const { actors } = timeline.flagged();
      const expected = reference(requests, max);
      if (count === 0) {
        assert.equal(actors.length, 0);
        continue;
      }
      assert.deepEqual(
        actors[0]?.entries.map((entry) => entry.auditID),
        expected.ids,
        `round ${round}: max ${max}, ${count} requests`,
      );
      assert.equal(actors[0]?.omitted, expected.omitted);
    }
  });

  test('an actor with only findings past the cap keeps every one of them (none is plain to replace)', () => {
    const timeline = new Timeline({ maxActors: 10, maxEntriesPerActor: 3 });
    for (let i = 0; i < 8; i++) timeline.record(eventAt(i, 'bob'), ['rule-a']);
    const { actors } = timeline.flagged();
    assert.equal(actors[0]?.entries.length, 8);
    assert.equal(actors[0]?.omitted, 5);
  });
});
