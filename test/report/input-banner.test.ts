// The banner says what was read in each source's own terms: lists and objects for a cluster,
// APIs and records for hunt, logs and events for audit, files and documents for manifests.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { argoRoutes } from '../../src/testing/fake-job-apis/argo.js';
import { startFakeJobApi } from '../../src/testing/fake-job-apis/server.js';
import { serve } from '../cluster/helpers.js';
import { auditEvent, jsonLines } from '../audit/events.js';
import { runCli, tempDir } from '../helpers/cli.js';

const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'team-a' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };

describe('the banner names what was read', () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  test('scan --cluster: lists and objects from the context, not files', async () => {
    const cluster = await serve({ objects: [POD] });
    try {
      const text = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '--fail-on', 'none']);
      const banner = text.stdout.split('\n').find((line) => line.startsWith('kfguard ')) ?? '';
      assert.match(banner, /\d+ list\(s\) from cluster context fake, \d+ object\(s\)/);
      assert.doesNotMatch(banner, /file\(s\)/);
      const markdown = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '--fail-on', 'none', '-f', 'markdown']);
      assert.match(markdown.stdout, /scanned \d+ list\(s\) from cluster context fake/);
      const html = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '--fail-on', 'none', '-f', 'html']);
      assert.match(html.stdout, /list\(s\) from cluster context fake/);
    } finally {
      await cluster.close();
    }
  });

  test('hunt: the job APIs and the records judged', async () => {
    const api = await startFakeJobApi(argoRoutes({ workflows: [{ metadata: { name: 'w', namespace: 'argo', uid: 'u', creationTimestamp: '2026-01-05T10:00:00Z' }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'python:3.11', command: ['python', 'train.py'] } }] } }] }));
    try {
      const run = await runCli(['hunt', '--argo', api.url, '-n', 'argo']);
      const banner = run.stdout.split('\n').find((line) => line.startsWith('kfguard ')) ?? '';
      assert.match(banner, /1 job API\(s\), 1 run\(s\), job\(s\) or pipeline\(s\) judged/);
      assert.doesNotMatch(banner, /file\(s\)/);
    } finally {
      await api.close();
    }
  });

  test('audit: logs and events', async () => {
    const file = join(dir.path, 'audit.log');
    writeFileSync(file, jsonLines([auditEvent({ verb: 'get', resource: 'pods', namespace: 'a', name: 'p' }), auditEvent({ verb: 'create', resource: 'pods', namespace: 'a', name: 'q', requestObject: POD })]));
    const run = await runCli(['audit', file]);
    const banner = run.stdout.split('\n').find((line) => line.startsWith('kfguard ')) ?? '';
    assert.match(banner, /1 log\(s\), 2 event\(s\), \d+ judged/);
    assert.doesNotMatch(banner, /file\(s\)/);
  });

  test('files keep files and documents', async () => {
    writeFileSync(join(dir.path, 'pod.yaml'), JSON.stringify(POD));
    const run = await runCli(['scan', 'pod.yaml', '--fail-on', 'none'], { cwd: dir.path });
    assert.match(run.stdout.split('\n')[0] ?? '', /1 file\(s\), 1 document\(s\)/);
  });
});
