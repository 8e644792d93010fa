/**
 * Test-only, run by hand: the real-server path of the portable live-cluster suite against the
 * fake API server started as a standalone process, the closest thing to a real API server these
 * machines can run. It proves the seam (objects created, listed, updated and deleted through the
 * API; the suite's assertions against a server it does not control) without proving anything about
 * a real server's behaviour, which only scripts/kind-e2e.sh can.
 *
 *   node --import tsx test/cluster/standalone-fake.ts            # runs the portable files
 *   node --import tsx test/cluster/standalone-fake.ts --serve    # only serves; prints READY <kubeconfig>
 *
 * The fake runs no controllers (KFGUARD_LIVE_CONTROLLERS=0 tells the suite so).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFor } from '../../src/testing/fake-apiserver/kubeconfig.js';
import { startFakeApiServer } from '../../src/testing/fake-apiserver/server.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { portableFiles } from './portable-files.js';

const server = await startFakeApiServer({ objects: [] });
const dir = mkdtempSync(join(tmpdir(), 'kfguard-standalone-fake-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, kubeconfigFor(server));
const stop = async (code: number): Promise<never> => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(code);
};
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(130));

if (process.argv.includes('--serve')) {
  process.stdout.write(`READY ${kubeconfig}\n`);
} else {
  // The suite runs in a child process: this one only serves, as an API server would.
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...portableFiles()], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, KFGUARD_LIVE_KUBECONFIG: kubeconfig, KFGUARD_LIVE_CONTROLLERS: '0' },
  });
  child.on('close', (code) => void stop(code ?? 1));
}
