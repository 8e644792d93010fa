// A create is often logged without objectRef.name: the anonymous-profile finding names the
// Profile or Namespace from the request object instead of printing an empty name.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.js';
import { auditEvent, jsonLines } from './events.js';

type Finding = { ruleId: string; message: string; resource: { name: string } };

describe('audit-anonymous-profile names what was created', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  const profile = (name: string, owner: string) => ({ apiVersion: 'kubeflow.org/v1', kind: 'Profile', metadata: { name }, spec: { owner: { kind: 'User', name: owner } } });

  test('from the request object when objectRef has no name', async () => {
    const log = [
      auditEvent({ verb: 'create', user: 'system:anonymous', groups: ['system:unauthenticated'], resource: 'profiles', apiGroup: 'kubeflow.org', apiVersion: 'v1', requestObject: profile('free-gpus', 'x@example.com') }),
      auditEvent({ verb: 'create', user: 'system:serviceaccount:kubeflow:profiles-controller-service-account', resource: 'profiles', apiGroup: 'kubeflow.org', apiVersion: 'v1', requestObject: profile('miner-profile', 'anonymous@kubeflow.org') }),
      auditEvent({ verb: 'create', user: 'system:anonymous', groups: ['system:unauthenticated'], resource: 'namespaces' }),
    ];
    const file = join(dir.path, 'audit.log');
    writeFileSync(file, jsonLines(log));
    const run = await runCli(['audit', file, '--format', 'json', '--fail-on', 'none']);
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings.filter((f) => f.ruleId === 'audit-anonymous-profile');
    const messages = findings.map((f) => f.message).sort();
    assert.deepEqual(messages, [
      'Namespace (name not logged) created by system:anonymous',
      'Profile free-gpus created by system:anonymous',
      'Profile miner-profile created for the anonymous owner "anonymous@kubeflow.org" (by system:serviceaccount:kubeflow:profiles-controller-service-account)',
    ]);
    assert.ok(!messages.some((m) => m.includes('  ')), 'an empty name left a double space');
  });
});
