import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FORMATTERS } from '../../src/report/formats.js';
import { runCli } from '../helpers/cli.js';

/**
 * `metadata` itself of the wrong type (`metadata:` left empty is `null`): a file is not validated by
 * an API server. Through the whole CLI, since suppressions, locations and every report read metadata:
 * the scan must not crash, the miner must still be found and every format must still be written.
 */
const ODD_METADATA: readonly unknown[] = [null, 5, 'text', true, [], ['a', 1]];
const dir = mkdtempSync(join(tmpdir(), 'kfguard-odd-metadata-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('metadata of the wrong type, every format', () => {
  for (const metadata of ODD_METADATA) {
    test(`metadata: ${JSON.stringify(metadata)}`, async () => {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'main', image: 'xmrig/xmrig', args: ['-o', 'stratum+tcp://pool.supportxmr.com:3333'] }] } };
      const formats = Object.keys(FORMATTERS).filter((name) => name !== 'text');
      const args = ['scan', '-', '--format', 'text', ...formats.flatMap((name) => ['--format', `${name}=${join(dir, `out.${name}`)}`])];
      const run = await runCli(args, { stdin: JSON.stringify(pod), cwd: dir });
      assert.doesNotMatch(run.stderr, /internal error/);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, /crypto-miner-workload/);
      assert.deepEqual(formats.filter((name) => !run.written.has(join(dir, `out.${name}`))), []);
    });
  }
});
