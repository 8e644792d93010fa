// Issue 12: the hunt's budgets are flags of `kfguard audit`, validated, documented and in effect.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEFAULT_AUDIT_LIMITS } from '../../src/audit/hunt-log.js';
import { AUDIT_LIMIT_FLAGS, auditLimitsOf } from '../../src/cli/audit-limit-flags.js';
import { AUDIT_HELP } from '../../src/cli/help.js';
import { documentedFlags } from '../../src/cli/help-flags.js';
import { auditEvent, jsonLines } from '../audit/events.js';
import { runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir('kfguard-audit-limits-');
after(() => dir.cleanup());

function log(name: string, text: string): string {
  const file = join(dir.path, name);
  writeFileSync(file, text);
  return file;
}

interface JsonReport {
  findings: { ruleId: string; severity: string; resource: { name: string }; evidence: string[] }[];
  errors: { line?: number; message: string }[];
  warnings: string[];
  extensions: { sourceStats: { patchesJudgedAlone: number } };
}

async function audit(file: string, ...flags: string[]): Promise<JsonReport> {
  const run = await runCli(['audit', file, '--format', 'json', '--fail-on', 'none', ...flags]);
  assert.ok(run.code === 0 || run.code === 2, run.stderr);
  return JSON.parse(run.stdout) as JsonReport;
}

describe('kfguard audit budget flags', () => {
  test('every limit of the hunt has a flag, and every flag is in `kfguard audit --help`', () => {
    const keys = new Set(AUDIT_LIMIT_FLAGS.map((flag) => flag.key));
    for (const key of Object.keys(DEFAULT_AUDIT_LIMITS)) assert.ok(keys.has(key as never), `no flag for limits.${key}`);
    const documented = new Set(documentedFlags(AUDIT_HELP).map((flag) => flag.long));
    for (const { flag } of AUDIT_LIMIT_FLAGS) assert.ok(documented.has(flag), `--${flag} is not in the help`);
  });

  test('each flag sets its own limit, sizes in bytes', () => {
    const values = Object.fromEntries(AUDIT_LIMIT_FLAGS.map(({ flag, unit }, i) => [flag, unit === 'size' ? `${i + 2}k` : String(i + 2)]));
    const expected = Object.fromEntries(AUDIT_LIMIT_FLAGS.map(({ key, unit }, i) => [key, unit === 'size' ? (i + 2) * 1024 : i + 2]));
    assert.deepEqual(auditLimitsOf(values), expected);
    assert.deepEqual(auditLimitsOf({}), {});
    assert.equal(auditLimitsOf({ 'max-workload-bytes': '16MB' }).maxWorkloadBytes, 16 * 1024 * 1024);
    assert.equal(auditLimitsOf({ 'max-pod-state-bytes': '0' }).maxPodStateBytes, 0);
  });

  // rev12 review: sizes written as Kubernetes and most tools write them, and the bounds of numbers.
  test('sizes: binary units however written; no exponent, hex, sign or fraction; counts up to 2^53 - 1', () => {
    for (const [value, bytes] of [['16MiB', 16 * 1024 ** 2], ['16Mi', 16 * 1024 ** 2], ['16 mib', 16 * 1024 ** 2], ['512KiB', 512 * 1024], ['1GiB', 1024 ** 3], ['16MB', 16 * 1024 ** 2], ['4096b', 4096]] as const) {
      assert.equal(auditLimitsOf({ 'max-config-bytes': value }).maxConfigBytes, bytes, value);
    }
    assert.equal(auditLimitsOf({ 'max-findings': '9007199254740991' }).maxFindings, Number.MAX_SAFE_INTEGER);
    for (const value of ['1e3', '0x10', '-1', '1.5m', '9007199254740993', '9007199254740992', '3ib', 'kb', '']) {
      assert.throws(() => auditLimitsOf({ 'max-config-bytes': value }), /invalid --max-config-bytes/, value);
      assert.throws(() => auditLimitsOf({ 'max-findings': value }), /invalid --max-findings/, value);
    }
  });

  test('--max-event-size past the longest string Node holds is a usage error: such a line could not be decoded to be skipped', async () => {
    assert.equal(auditLimitsOf({ 'max-event-size': '511MiB' }).maxEventBytes, 511 * 1024 ** 2);
    assert.throws(() => auditLimitsOf({ 'max-event-size': '512MiB' }), (error: Error & { hint?: string }) => /invalid --max-event-size "512MiB"/.test(error.message));
    const file = log('one.log', jsonLines([auditEvent({ verb: 'get', resource: 'pods', namespace: 'a', name: 'p' })]));
    const run = await runCli(['audit', file, '--max-event-size', '1g']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /invalid --max-event-size "1g"[\s\S]*at most 536870888 bytes/);
  });

  test('a bad value is a usage error naming the flag: exit 2, nothing read', async () => {
    const file = log('clean.log', jsonLines([auditEvent({ verb: 'get', resource: 'pods', namespace: 'a', name: 'p' })]));
    for (const { flag, least } of AUDIT_LIMIT_FLAGS) {
      const bad = ['x', '-1', '1.5', '', '99999999999999999999', '12q', '1e3', '0x10', '9007199254740993', '3ib', ...(least > 0 ? [String(least - 1)] : [])];
      for (const value of bad) {
        const run = await runCli(['audit', file, `--${flag}=${value}`]);
        assert.equal(run.code, 2, `--${flag} ${JSON.stringify(value)}: ${run.stderr}`);
        assert.equal(run.stdout, '');
        assert.match(run.stderr.split('\n')[0] ?? '', new RegExp(`^kfguard: usage error: invalid --${flag} "`), `--${flag} ${JSON.stringify(value)}`);
      }
    }
  });

  test('--max-findings: the distinct findings past it are counted in a warning', async () => {
    const anonymous = (name: string) => auditEvent({ verb: 'create', resource: 'pods', namespace: 'a', name, user: 'system:anonymous', groups: ['system:unauthenticated'], requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a' }, spec: { containers: [{ name: 'm', image: 'xmrig/xmrig:latest' }] } } });
    const file = log('two.log', jsonLines([anonymous('one'), anonymous('two')]));
    const all = await audit(file);
    const ids = new Set(all.findings.map((f) => `${f.ruleId}/${f.resource.name}`));
    assert.ok(ids.size >= 2, JSON.stringify([...ids]));
    assert.deepEqual(all.warnings.filter((w) => /not kept: over/.test(w)), []);
    const capped = await audit(file, '--max-findings', '1');
    assert.equal(capped.findings.length, 1);
    assert.ok(capped.warnings.some((w) => w.startsWith(`${ids.size - 1} more distinct finding(s) not kept: over 1`)), JSON.stringify(capped.warnings));
  });

  test('--max-event-size and --max-listed-errors: longer lines reported, errors past the count folded', async () => {
    const long = auditEvent({ verb: 'create', resource: 'configmaps', namespace: 'a', name: 'big', requestObject: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'y'.repeat(3000) } } });
    const file = log('long.log', `${jsonLines([long])}not json\nnot json either\n`);
    assert.deepEqual((await audit(file)).errors.map((e) => e.line), [2, 3]);
    const small = await audit(file, '--max-event-size', '2k');
    assert.match(small.errors[0]?.message ?? '', /line longer than 2048 bytes; skipped/);
    const folded = await audit(file, '--max-listed-errors', '1');
    assert.equal(folded.errors.length, 2, JSON.stringify(folded.errors));
    assert.match(folded.errors[1]?.message ?? '', /1 more/);
  });

  test('--max-workload-bytes and --max-pod-state-bytes: the kept state a patch is judged on', async () => {
    const NS = 'kubeflow-user-a';
    const pod = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: NS }, spec: { containers: [{ name: 'main', image }] } });
    const create = auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'p', requestObject: pod('busybox:1.36') });
    const patch = auditEvent({ verb: 'patch', resource: 'pods', namespace: NS, name: 'p', requestObject: { spec: { containers: [{ name: 'main', image: 'xmrig/xmrig:latest' }] } } });
    const file = log('pod.log', jsonLines([create, patch]));
    assert.equal((await audit(file)).extensions.sourceStats.patchesJudgedAlone, 1);
    assert.equal((await audit(file, '--max-pod-state-bytes', '1MB')).extensions.sourceStats.patchesJudgedAlone, 0);

    const apps = { resource: 'deployments', apiGroup: 'apps', apiVersion: 'v1', namespace: NS, name: 'tf-serve' } as const;
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tf-serve', namespace: NS }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } } } };
    const workload = log('deployment.log', jsonLines([auditEvent({ verb: 'create', ...apps, requestObject: deployment }), auditEvent({ verb: 'patch', ...apps, requestObject: { spec: { template: { spec: { containers: [{ name: 'main', image: 'xmrig/xmrig:latest' }] } } } } })]));
    assert.equal((await audit(workload)).extensions.sourceStats.patchesJudgedAlone, 0);
    const none = await audit(workload, '--max-workload-bytes', '0');
    assert.equal(none.extensions.sourceStats.patchesJudgedAlone, 1);
    assert.match(JSON.stringify(none.findings.map((f) => f.evidence)), /capped at 0 bytes/);
  });
});
