// Docker cannot build here, so the Dockerfile is checked statically: what it copies exists, the
// runtime user is not root and matches the webhook Deployment, and the final stage's files alone
// (copied as the COPY lines say) run the built CLI through the image's ENTRYPOINT.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { webhookManifests } from '../../src/webhook/manifests.js';
import { tempDir } from '../helpers/cli.js';

interface Instruction {
  readonly op: string;
  readonly args: string;
}
interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: Instruction[];
}

/** Dockerfile instructions by stage (comments and blank lines dropped; no line continuations are used). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    assert.ok(!line.endsWith('\\'), 'line continuations are not parsed by this test');
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const [from = '', as, name] = rest;
      stages.push({ from, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
    } else {
      assert.ok(stages.length > 0, `${op} before FROM`);
      stages[stages.length - 1]?.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** `COPY [--from=x] SRC... DEST` → its stage, sources and destination. */
function copyOf(instruction: Instruction): { from?: string; sources: string[]; dest: string } {
  const words = instruction.args.split(/\s+/);
  const from = words[0]?.startsWith('--from=') ? words.shift()?.slice('--from='.length) : undefined;
  const dest = words.pop() ?? '';
  return { ...(from ? { from } : {}), sources: words, dest };
}

const stages = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const final = stages[stages.length - 1] as Stage;
const build = stages[0] as Stage;
const ops = (stage: Stage, op: string): Instruction[] => stage.instructions.filter((i) => i.op === op);

describe('Dockerfile', () => {
  const work = tempDir('kfguard-image-');
  after(() => work.cleanup());

  test('is multi-stage: a build stage, then a distroless runtime without npm', () => {
    assert.ok(stages.length >= 2);
    assert.ok(build.name, 'the build stage is named');
    assert.match(final.from, /^gcr\.io\/distroless\/nodejs20-debian12:nonroot$/);
    assert.ok(ops(build, 'RUN').some((r) => r.args.includes('npm ci')) && ops(build, 'RUN').some((r) => r.args.includes('npm run build')));
    assert.deepEqual(ops(final, 'RUN'), [], 'the runtime stage runs nothing (no shell in distroless)');
  });

  test('every path it copies from the build context exists and the build context admits it', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    for (const stage of stages) {
      for (const copy of ops(stage, 'COPY').map(copyOf)) {
        if (copy.from) continue;
        for (const source of copy.sources) {
          assert.ok(existsSync(join(REPO_ROOT, source)), `${source} does not exist`);
          assert.ok(ignore.includes(source.replace(/\/$/, '')), `${source} is excluded by .dockerignore`);
        }
      }
    }
  });

  test('ships the licences: kfguard\'s own LICENSE and the bundled packages\' notices', () => {
    const shipped = ops(final, 'COPY').map(copyOf).flatMap((c) => c.sources);
    assert.ok(shipped.includes('LICENSE'), 'LICENSE is copied into the runtime stage');
    // The bundled packages' licences are written by the build into dist/.
    assert.ok(shipped.some((s) => /^\/src\/dist\/?$/.test(s)), 'dist/ (with THIRD-PARTY-NOTICES.txt) is copied');
  });

  test('copies from the build stage only what the build produces', () => {
    for (const copy of ops(final, 'COPY').map(copyOf).filter((c) => c.from)) {
      assert.equal(copy.from, build.name);
      for (const source of copy.sources) assert.match(source, /^\/src\/dist\/?$/, `${source}: the build stage produces dist/ under its WORKDIR /src`);
    }
    assert.deepEqual(ops(build, 'WORKDIR').map((w) => w.args), ['/src']);
  });

  test('runs as a non-root user, the one the webhook Deployment expects', () => {
    const [user] = ops(final, 'USER').map((u) => u.args);
    assert.ok(user, 'USER is set');
    const [uid, gid] = user.split(':').map(Number);
    assert.ok(uid !== undefined && uid > 0 && gid !== undefined && gid > 0, `USER ${user}`);
    const deployment = webhookManifests({ namespace: 'kfguard', tls: 'cert-manager', failurePolicy: 'fail' }).find((o) => o.kind === 'Deployment') as {
      spec: { template: { spec: { securityContext: { runAsUser: number; runAsGroup: number }; containers: { image: string }[] } } };
    };
    assert.equal(deployment.spec.template.spec.securityContext.runAsUser, uid);
    assert.equal(deployment.spec.template.spec.securityContext.runAsGroup, gid);
  });

  test("the final stage's files alone run the built CLI through the ENTRYPOINT", () => {
    assert.ok(existsSync(join(REPO_ROOT, 'dist', 'kfguard.js')), 'run `npm run build` first (npm test does)');
    const [workdir] = ops(final, 'WORKDIR').map((w) => w.args);
    assert.equal(workdir, '/app');
    const image = join(work.path, 'app');
    for (const copy of ops(final, 'COPY').map(copyOf)) {
      for (const source of copy.sources) {
        const from = copy.from ? join(REPO_ROOT, source.replace(/^\/src\//, '')) : join(REPO_ROOT, source);
        const dest = copy.dest.endsWith('/') ? join(image, copy.dest, source.endsWith('/') ? '' : source.split('/').pop() ?? '') : join(image, copy.dest);
        cpSync(from, source.endsWith('/') ? join(image, copy.dest) : dest, { recursive: true });
      }
    }
    const [entrypoint] = ops(final, 'ENTRYPOINT').map((e) => JSON.parse(e.args) as string[]);
    assert.deepEqual(entrypoint?.slice(0, 2), ['/nodejs/bin/node', '/app/bin/kfguard.js'], 'exec form, node running the CLI');
    const script = join(image, (entrypoint?.[1] ?? '').replace(/^\/app\//, ''));
    // No node_modules next to the copied files: the bundle must be self-contained.
    assert.ok(!existsSync(join(image, 'node_modules')));
    const run = (args: string[]) => spawnSync(process.execPath, [script, ...args], { cwd: image, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 60_000 });
    const version = run(['--version']);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const manifests = run(['webhook', 'manifests']);
    assert.equal(manifests.status, 0, manifests.stderr);
    assert.match(manifests.stdout, /kind: ValidatingWebhookConfiguration/);
    const policies = run(['export', 'vap']);
    assert.equal(policies.status, 0, policies.stderr);
    assert.match(policies.stdout, /kind: ValidatingAdmissionPolicy\n/);
    assert.ok(!existsSync(join(image, 'src')), 'sources are not shipped');
  });
});
