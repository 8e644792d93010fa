// The cluster is a source like files: the same objects served by an API server must give the same
// findings as the files they came from, apart from where each finding says it was found.
// live-suite: portable
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { REPO_ROOT, requiresShared, sharedPath } from '../../src/testing/shared.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { comparable, objectsOfFiles, type JsonReport } from './helpers.js';
import { clusterWith, LIVE } from './test-cluster.js';

const STOCK = () => sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');
const EXPOSED = () => [
  sharedPath('corpus', 'wild', 'kubeflow__manifests__common_istio-1-14_istio-install_base_patches_service.yaml'),
  sharedPath('corpus', 'wild', 'kubernetes__dashboard__aio_deploy_alternative.yaml'),
  sharedPath('corpus', 'wild', 'argoproj__argo-workflows__manifests_quick-start_base_overlays_argo-server-deployment.yaml'),
  sharedPath('corpus', 'wild', 'mlrun__mlrun__hack_local_mljupy.yaml'),
];

interface Scans {
  fromFiles: JsonReport;
  fromCluster: JsonReport;
  context: string;
}

/**
 * On the fake server the cluster holds the objects and nothing else. A real cluster holds its own
 * objects too (kube-system, the built-in ClusterRoles), which other objects' findings may read: the
 * file side then also scans a snapshot of the cluster taken just before the objects were created,
 * and the comparison keeps the findings on the test's own objects (the rest are printed).
 */
async function scanBoth(t: TestContext, files: string[]): Promise<Scans> {
  const objects = objectsOfFiles(...files);
  const dir = tempDir('kfguard-parity-');
  let baseline: string | undefined;
  const cluster = await clusterWith(objects, {
    beforeObjects: async (kubeconfig) => {
      baseline = join(dir.path, 'baseline.yaml');
      const run = await runCli(['snapshot', '--kubeconfig', kubeconfig, '-o', baseline]);
      assert.equal(run.code, 0, run.stderr);
    },
  });
  try {
    // On a real server the file side scans the objects as created (namespace `default` filled in, as kubectl does).
    const scanned = LIVE ? [join(dir.path, 'objects.yaml')] : files;
    if (LIVE) writeFileSync(scanned[0]!, cluster.objects.map((o) => JSON.stringify(o)).join('\n---\n'));
    const fileRun = await runCli(['scan', ...scanned, ...(baseline ? [baseline] : []), '-f', 'json', '--fail-on', 'none']);
    const clusterRun = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none']);
    assert.equal(clusterRun.code, 0, clusterRun.stderr);
    const fromFiles = JSON.parse(fileRun.stdout) as JsonReport;
    const fromCluster = JSON.parse(clusterRun.stdout) as JsonReport;
    if (!LIVE) return { fromFiles, fromCluster, context: cluster.context };
    const own = new Set(cluster.objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`));
    const isOwn = (f: JsonReport['findings'][number]): boolean => own.has(`${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`);
    for (const f of fromCluster.findings.filter((x) => !isOwn(x))) t.diagnostic(`not compared (not a test object): ${f.ruleId} ${f.resource.kind} ${f.resource.namespace ?? ''}/${f.resource.name}`);
    return {
      fromFiles: { ...fromFiles, findings: fromFiles.findings.filter(isOwn) },
      fromCluster: { ...fromCluster, findings: fromCluster.findings.filter(isOwn) },
      context: cluster.context,
    };
  } finally {
    dir.cleanup();
    await cluster.close();
  }
}

describe('scan --cluster gives the findings of the same objects as files', requiresShared(), () => {
  test('the stock Kubeflow install', async (t) => {
    const { fromFiles, fromCluster, context } = await scanBoth(t, [STOCK()]);
    assert.ok(fromFiles.findings.length >= 30, `only ${fromFiles.findings.length} findings from files`);
    assert.deepEqual(comparable(fromCluster), comparable(fromFiles));
    const origin = fromCluster.findings[0]?.origin;
    assert.equal(origin?.kind, 'cluster');
    assert.equal(origin?.context, context);
    assert.match(origin?.resourceVersion ?? '', /^\d+$/);
    assert.equal(fromCluster.findings[0]?.location, undefined);
  });

  test('exposed dashboards, an auth-bypassed dashboard and an open notebook from the wild', async (t) => {
    const { fromFiles, fromCluster } = await scanBoth(t, EXPOSED());
    assert.ok(fromFiles.findings.some((f) => f.category === 'exposure'), 'the variants must include exposure findings');
    assert.deepEqual(comparable(fromCluster), comparable(fromFiles));
  });
});

/** The bundled examples: in the repository, so this parity runs wherever the suite does (kind included). */
const EXAMPLES = (): string[] =>
  ['exposed-kubeflow', 'compromised-pipeline'].flatMap((dir) =>
    readdirSync(join(REPO_ROOT, 'examples', dir))
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => join(REPO_ROOT, 'examples', dir, f)),
  );

describe('scan --cluster gives the findings of the same objects as files (in-repo examples, no corpus)', () => {
  test('the exposed Kubeflow install and the compromised pipeline of examples/', async (t) => {
    const { fromFiles, fromCluster } = await scanBoth(t, EXAMPLES());
    assert.ok(fromFiles.findings.some((f) => f.ruleId === 'kubeflow-dashboard-exposed'), 'the examples must include the exposure');
    assert.ok(fromFiles.findings.some((f) => f.ruleId === 'crypto-miner-workload'), 'the examples must include the miners');
    assert.deepEqual(comparable(fromCluster), comparable(fromFiles));
    assert.ok(fromCluster.findings.every((f) => f.origin?.kind === 'cluster'));
  });
});
