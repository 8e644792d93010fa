// Kubeconfig loading as kubectl does it, through the built binary: $KUBECONFIG files naming the same
// cluster merge with the first file winning (kubectl's own merge is the oracle when kubectl is
// installed), an empty kubeconfig is named as such, and a pod without a mounted token is told so.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, test } from 'node:test';
import { tempDir } from '../helpers/cli.js';
import { objectsOfYaml, runBuiltCli, serve, type JsonReport } from './helpers.js';

const KUBECTL = '/usr/bin/kubectl';

describe('kubeconfig loading (built binary)', () => {
  test('KUBECONFIG=a:b naming the same cluster: the first file wins, as kubectl merges', async () => {
    const cluster = await serve({ objects: objectsOfYaml('apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}') });
    try {
      const a = cluster.kubeconfig;
      const b = join(cluster.dir, 'second');
      // The same cluster, user and context names, pointing nowhere: used only if b won.
      const second = JSON.parse(readFileSync(a, 'utf8')) as { clusters: { cluster: { server: string } }[]; users: { user: unknown }[] };
      second.clusters[0]!.cluster.server = 'https://127.0.0.1:9';
      second.users[0]!.user = { token: 'wrong' };
      writeFileSync(b, JSON.stringify(second));
      const KUBECONFIG = [a, b].join(delimiter);
      if (existsSync(KUBECTL)) {
        const view = spawnSync(KUBECTL, ['config', 'view', '-o', 'jsonpath={.clusters[0].cluster.server}'], { env: { KUBECONFIG, PATH: process.env.PATH }, encoding: 'utf8' });
        assert.equal(view.stdout, cluster.server.url, `kubectl's merge: ${view.stderr}`);
      }
      const run = await runBuiltCli(['scan', '--cluster', '-f', 'json', '--fail-on', 'none'], { KUBECONFIG, HOME: cluster.dir });
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /Duplicate/);
      assert.ok((JSON.parse(run.stdout) as JsonReport).coverage.every((c) => !c.reason.startsWith('could not')));
    } finally {
      await cluster.close();
    }
  });

  test('an empty kubeconfig is named as empty, not a TypeError', async () => {
    const dir = tempDir();
    try {
      const empty = join(dir.path, 'empty');
      writeFileSync(empty, '');
      const run = await runBuiltCli(['scan', '--cluster', '--kubeconfig', empty]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, new RegExp(`kubeconfig ${empty} is empty`));
      assert.doesNotMatch(run.stderr, /TypeError|Cannot read properties/);
    } finally {
      dir.cleanup();
    }
  });

  test('KUBERNETES_SERVICE_HOST set without a mounted token: the missing token is named', async () => {
    const dir = tempDir();
    try {
      const run = await runBuiltCli(['scan', '--cluster'], { HOME: dir.path, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /KUBERNETES_SERVICE_HOST is set .* no service-account token/);
      assert.doesNotMatch(run.stderr, /not running in a pod/);
    } finally {
      dir.cleanup();
    }
  });
});
