// The cluster is a source like files: the same objects served by the fake API server must give the
// same findings as the files they came from, apart from where each finding says it was found.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { runCli } from '../helpers/cli.js';
import { comparable, objectsOfFiles, serve, type JsonReport } from './helpers.js';

const STOCK = () => sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');
const EXPOSED = () => [
  sharedPath('corpus', 'wild', 'kubeflow__manifests__common_istio-1-14_istio-install_base_patches_service.yaml'),
  sharedPath('corpus', 'wild', 'kubernetes__dashboard__aio_deploy_alternative.yaml'),
  sharedPath('corpus', 'wild', 'argoproj__argo-workflows__manifests_quick-start_base_overlays_argo-server-deployment.yaml'),
  sharedPath('corpus', 'wild', 'mlrun__mlrun__hack_local_mljupy.yaml'),
];

async function scanBoth(files: string[]): Promise<{ fromFiles: JsonReport; fromCluster: JsonReport }> {
  const cluster = await serve({ objects: objectsOfFiles(...files) });
  try {
    const fileRun = await runCli(['scan', ...files, '-f', 'json', '--fail-on', 'none']);
    const clusterRun = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none']);
    assert.equal(clusterRun.code, 0, clusterRun.stderr);
    return { fromFiles: JSON.parse(fileRun.stdout) as JsonReport, fromCluster: JSON.parse(clusterRun.stdout) as JsonReport };
  } finally {
    await cluster.close();
  }
}

describe('scan --cluster gives the findings of the same objects as files', requiresShared(), () => {
  test('the stock Kubeflow install', async () => {
    const { fromFiles, fromCluster } = await scanBoth([STOCK()]);
    assert.ok(fromFiles.findings.length >= 30, `only ${fromFiles.findings.length} findings from files`);
    assert.deepEqual(comparable(fromCluster), comparable(fromFiles));
    const origin = fromCluster.findings[0]?.origin;
    assert.equal(origin?.kind, 'cluster');
    assert.equal(origin?.context, 'fake');
    assert.match(origin?.resourceVersion ?? '', /^\d+$/);
    assert.equal(fromCluster.findings[0]?.location, undefined);
  });

  test('exposed dashboards, an auth-bypassed dashboard and an open notebook from the wild', async () => {
    const { fromFiles, fromCluster } = await scanBoth(EXPOSED());
    assert.ok(fromFiles.findings.some((f) => f.category === 'exposure'), 'the variants must include exposure findings');
    assert.deepEqual(comparable(fromCluster), comparable(fromFiles));
  });
});
