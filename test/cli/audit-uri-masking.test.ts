// Issue 12 review: a credential in a request URI's query never reaches any output of `kfguard
// audit`. The evidence line was masked, but a non-resource URL is also the finding's resource name
// and part of its message, which every format prints (found by the rev12 review).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FORMATTERS } from '../../src/report/formats.js';
import { auditEvent, jsonLines } from '../audit/events.js';
import { runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir('kfguard-uri-masking-');
after(() => dir.cleanup());

const anonymous = { user: 'system:anonymous', groups: ['system:unauthenticated'] };
const URIS = [
  '/debug/flags/v?access_token=CANARY-A1&x=1&password=CANARY-A2',
  '/metrics/cadvisor?pass%77ord=CANARY-A3&%74oken=CANARY-A4',
  '/api/v1/namespaces/kubeflow-user/services/nb:8888/proxy/lab?token=CANARY-A5&X-Amz-Signature=CANARY-A6',
];

describe('kfguard audit: credentials in request URIs', () => {
  test('no format, nor stderr, prints a credential a request URI carried in its query', async () => {
    const events = [
      auditEvent({ ...anonymous, verb: 'get', resource: '', requestURI: URIS[0] }),
      auditEvent({ ...anonymous, verb: 'get', resource: '', requestURI: URIS[1] }),
      auditEvent({ ...anonymous, verb: 'get', resource: 'services', subresource: 'proxy', namespace: 'kubeflow-user', name: 'nb:8888', requestURI: URIS[2] }),
    ].map((event) => (event.objectRef && (event.objectRef as { resource?: string }).resource === '' ? { ...event, objectRef: undefined } : event));
    const file = join(dir.path, 'anon.log');
    writeFileSync(file, jsonLines(events));
    for (const format of Object.keys(FORMATTERS)) {
      const run = await runCli(['audit', file, '--format', format, '--fail-on', 'none']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /debug\/flags\/v/, `${format}: the non-resource request is reported`);
      assert.doesNotMatch(`${run.stdout}\n${run.stderr}`, /CANARY/, `${format} prints a credential`);
    }
  });
});

describe('kfguard audit: credentials in an exec command', () => {
  test('the command an exec finding quotes has its credential flags, assignments and URL passwords masked', async () => {
    const command = ['sh', '-c', 'mysql --password=CANARY-E1 -h db && AWS_SECRET_ACCESS_KEY=CANARY-E2 aws s3 ls && curl https://u:CANARY-E3@example.com/x && psql --db-password CANARY-E4'];
    const query = [...command.map((word) => `command=${encodeURIComponent(word)}`), 'container=main', 'stdin=true'].join('&');
    const file = join(dir.path, 'exec.log');
    writeFileSync(file, jsonLines([auditEvent({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'kubeflow-user', name: 'nb-0', requestURI: `/api/v1/namespaces/kubeflow-user/pods/nb-0/exec?${query}` })]));
    for (const format of Object.keys(FORMATTERS)) {
      const run = await runCli(['audit', file, '--format', format, '--fail-on', 'none']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /mysql --password=\S{0,6}redacted\S{0,6} -h db/, format);
      assert.doesNotMatch(`${run.stdout}\n${run.stderr}`, /CANARY/, `${format} prints a credential`);
    }
  });
});
