// `kfguard snapshot` writes what a cluster scan lists; scanning that file must give the live scan's
// findings, except those that need the Secret values the snapshot leaves out.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { runCli } from '../helpers/cli.js';
import { comparable, objectsOfFiles, objectsOfYaml, serve, type JsonReport } from './helpers.js';

/** Rules whose verdict comes from Secret values, which a snapshot does not keep. */
const NEED_SECRET_VALUES = ['dex-default-static-password', 'object-store-default-credentials', 'published-default-credentials'];

const SELF_EXEMPTING_MINER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: trainer
  namespace: team-a
  annotations:
    kfguard.io/ignore: crypto-miner-workload
    kfguard.io/ignore-reason: approved benchmark
spec:
  selector:
    matchLabels: {app: trainer}
  template:
    metadata:
      labels: {app: trainer}
    spec:
      containers:
        - name: main
          image: xmrig/xmrig:6.21.0
          args: ["-o", "pool.supportxmr.com:443", "--donate-level", "1"]
`;

describe('kfguard snapshot', requiresShared(), () => {
  test('scanning the snapshot gives the live findings, except those needing Secret values', async () => {
    const cluster = await serve({ objects: objectsOfFiles(sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')) });
    try {
      const file = join(cluster.dir, 'snapshot.yaml');
      const written = await runCli(['snapshot', '-o', file, '--kubeconfig', cluster.kubeconfig]);
      assert.equal(written.code, 0, written.stderr);
      assert.match(written.stderr, /object\(s\) from context fake written to/);
      const text = readFileSync(file, 'utf8');
      const secrets = objectsOfYaml(text).filter((o) => o.kind === 'Secret');
      assert.ok(secrets.length >= 5);
      for (const secret of secrets) {
        for (const field of ['data', 'stringData']) {
          const values = (secret as Record<string, unknown>)[field] as Record<string, string> | undefined;
          for (const [key, value] of Object.entries(values ?? {})) assert.equal(value, '', `${secret.metadata?.name} ${field}.${key} kept its value`);
        }
      }
      assert.doesNotMatch(text, /managedFields/);
      const live = JSON.parse((await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
      const offline = JSON.parse((await runCli(['scan', file, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
      const without = (report: JsonReport): JsonReport => ({ ...report, findings: report.findings.filter((f) => !NEED_SECRET_VALUES.includes(f.ruleId)) });
      assert.deepEqual(comparable(without(offline)), comparable(without(live)));
      // The exception is real: these findings exist live and are gone offline.
      for (const ruleId of NEED_SECRET_VALUES) {
        assert.ok(live.findings.some((f) => f.ruleId === ruleId), `${ruleId} not found live`);
        assert.ok(!offline.findings.some((f) => f.ruleId === ruleId), `${ruleId} found without Secret values`);
      }
    } finally {
      await cluster.close();
    }
  });

  test("an object's own ignore annotation is refused for threat findings in its snapshot, as live", async () => {
    const miner = objectsOfYaml(SELF_EXEMPTING_MINER);
    const cluster = await serve({ objects: miner });
    try {
      const live = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json']);
      assert.equal(live.code, 1, live.stderr);
      const file = join(cluster.dir, 'snapshot.yaml');
      assert.equal((await runCli(['snapshot', '-o', file, '--kubeconfig', cluster.kubeconfig])).code, 0);
      const offline = await runCli(['scan', file, '-f', 'json']);
      assert.equal(offline.code, 1, offline.stdout);
      const liveReport = JSON.parse(live.stdout) as JsonReport;
      const offlineReport = JSON.parse(offline.stdout) as JsonReport;
      const minerFinding = offlineReport.findings.find((f) => f.ruleId === 'crypto-miner-workload');
      assert.ok(minerFinding, 'miner not reported from the snapshot');
      assert.equal(minerFinding.severity, 'critical');
      assert.equal(minerFinding.suppression, undefined);
      assert.deepEqual(comparable(offlineReport), comparable(liveReport));
      assert.ok(offlineReport.warnings.some((w) => /not honoured for crypto-miner-workload.*snapshot/.test(w)), offlineReport.warnings.join('\n'));
      // The same object in a reviewed repository file keeps its annotation.
      const reviewed = join(cluster.dir, 'reviewed.yaml');
      // Dated: an undated ignore no longer silences a threat finding anywhere (issue 17).
      const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      writeFileSync(reviewed, SELF_EXEMPTING_MINER.replace('    kfguard.io/ignore-reason: approved benchmark\n', `    kfguard.io/ignore-reason: approved benchmark\n    kfguard.io/ignore-until: "${until}"\n`));
      assert.equal((await runCli(['scan', reviewed, '-f', 'json'])).code, 0);
    } finally {
      await cluster.close();
    }
  });

  test('needs -o', async () => {
    const run = await runCli(['snapshot']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /snapshot needs -o FILE/);
  });
});
