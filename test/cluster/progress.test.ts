// The progress display of `scan --cluster`: drawn on stderr when stderr is a terminal, redrawing
// one line in place; absent otherwise, so logs and CI output stay clean. The built binary is run
// under a real pseudo-terminal (util-linux `script`) with stdout sent to a file: what the terminal
// shows is then stderr alone.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { runCli } from '../helpers/cli.js';
import { objectsOfYaml, serve, type JsonReport, type ServedCluster } from './helpers.js';

const OBJECTS = objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: miner, namespace: team-a}
spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: [-o, "stratum+tcp://pool.supportxmr.com:3333"]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: team-a}
spec: {selector: {app: web}, ports: [{port: 80}]}`);

const ERASE_LINE = '\r\u001b[2K';
const LISTED = /kfguard: listed (\d+)\/(\d+) resources, (\d+) objects/g;
const SCANNED = /kfguard: scanned (\d+)\/(\d+) objects/g;

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs `command` (a shell line) under a pseudo-terminal; resolves with what the terminal received. */
function underPty(command: string, cwd: string): Promise<{ code: number | null; terminal: string }> {
  return new Promise((resolve, reject) => {
    // -q: no banner; -e: the command's exit status; -f: flush as written; /dev/null: no typescript file.
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd, env: { PATH: process.env.PATH, TERM: 'xterm', NO_COLOR: '1' } });
    let terminal = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (terminal += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, terminal }));
  });
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe('scan --cluster progress display', () => {
  let cluster: ServedCluster;

  before(async () => {
    cluster = await serve({ objects: OBJECTS });
  });
  after(() => cluster.close());

  test('on a terminal (injected): one line redrawn per finished list, counting up to every list and object', async () => {
    const run = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none'], { stderrTty: true });
    assert.equal(run.code, 0, run.stderr);
    const draws = [...run.stderr.matchAll(LISTED)].map((m) => ({ done: Number(m[1]), total: Number(m[2]), objects: Number(m[3]) }));
    assert.ok(draws.length > 1, run.stderr);
    assert.deepEqual(draws.map((d) => d.done), draws.map((_, i) => i + 1), 'one redraw per list, in order');
    const last = draws.at(-1)!;
    assert.equal(last.done, last.total);
    assert.equal(last.objects, OBJECTS.length);
    // Then the objects judged: after listing, up to every object, and the line erased at the end.
    const scanned = [...run.stderr.matchAll(SCANNED)];
    assert.deepEqual(scanned.map((m) => [Number(m[1]), Number(m[2])]), [[OBJECTS.length, OBJECTS.length]]);
    assert.ok(scanned[0]!.index > [...run.stderr.matchAll(LISTED)].at(-1)!.index, 'scanning is drawn after listing');
    assert.ok(run.stderr.endsWith(ERASE_LINE), 'the line is erased once scanning is done');
    // The report on stdout is untouched by the display.
    assert.equal((JSON.parse(run.stdout) as JsonReport).findings.some((f) => f.resource.name === 'miner'), true);
  });

  test('a larger cluster: the scanned count is redrawn as objects are judged, not once per object', async () => {
    const pods = Array.from({ length: 1_234 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: `ns-${i % 7}` }, spec: { containers: [{ name: 'c', image: 'registry.example/app:1' }] } }));
    const big = await serve({ objects: pods });
    try {
      const run = await runCli(['scan', '--cluster', '--kubeconfig', big.kubeconfig, '-f', 'json', '--fail-on', 'none'], { stderrTty: true });
      assert.equal(run.code, 0, run.stderr);
      const draws = [...run.stderr.matchAll(SCANNED)].map((m) => [Number(m[1]), Number(m[2])]);
      const total = draws.at(-1)![1]!;
      assert.ok(total >= pods.length, `every Pod judged: ${total}`);
      assert.deepEqual(draws.map((d) => d[0]), [500, 1_000, ...(total >= 1_500 ? [1_500] : []), total]);
      assert.ok(draws.every((d) => d[1] === total));
    } finally {
      await big.close();
    }
  });

  test('not a terminal: no progress at all', async () => {
    const run = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none'], { stderrTty: false });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /listed|scanned/);
    assert.ok(!run.stderr.includes('\r') && !run.stderr.includes('\u001b'), JSON.stringify(run.stderr));
  });

  test('the built binary under a pseudo-terminal draws the line with real control sequences', { skip: hasScript ? false : 'util-linux `script` is not installed' }, async () => {
    const out = join(cluster.dir, 'report.json');
    const bin = join(REPO_ROOT, 'bin', 'kfguard.js');
    const { code, terminal } = await underPty(`${shellQuote(process.execPath)} ${shellQuote(bin)} scan --cluster --kubeconfig ${shellQuote(cluster.kubeconfig)} -f json --fail-on none > ${shellQuote(out)}`, cluster.dir);
    assert.equal(code, 0, terminal);
    assert.ok(terminal.includes(`${ERASE_LINE}kfguard: listed 1/`), JSON.stringify(terminal.slice(0, 300)));
    assert.ok(terminal.includes(`${ERASE_LINE}kfguard: scanned ${OBJECTS.length}/${OBJECTS.length} objects`), JSON.stringify(terminal.slice(0, 300)));
    // Shown as escapes (`\u001b`) it would print garbage instead of redrawing.
    assert.doesNotMatch(terminal, /\\u001b|\\u000d/);
    assert.ok(JSON.parse(readFileSync(out, 'utf8')).findings.length > 0);
  });

  test('the built binary with stderr piped draws nothing', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none'], { env: { PATH: process.env.PATH } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.resume();
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
  });
});
