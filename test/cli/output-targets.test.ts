import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { outputTargets } from '../../src/cli/commands/scan.js';
import { EXPOSED_GATEWAY, runCli, tempDir } from '../helpers/cli.js';

test('-o FILE takes the one format without a file of its own', () => {
  assert.deepEqual(outputTargets(['json'], 'r.json'), [{ format: 'json', file: 'r.json' }]);
  assert.deepEqual(outputTargets(['sarif=s.sarif', 'text'], 'r.txt'), [{ format: 'sarif', file: 's.sarif' }, { format: 'text', file: 'r.txt' }]);
  assert.deepEqual(outputTargets([], 'r.txt'), [{ format: 'text', file: 'r.txt' }]);
});

test('-o FILE when every --format names its own file is a usage error, not a report silently not written', async () => {
  assert.throws(() => outputTargets(['sarif=s.sarif'], 'r.txt'), /--output names no report/);
  const dir = tempDir();
  try {
    writeFileSync(join(dir.path, 'gateway.yaml'), EXPOSED_GATEWAY);
    const run = await runCli(['scan', 'gateway.yaml', '-o', 'report.txt', '--format', 'sarif=s.sarif'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /usage error: --output names no report/);
    assert.equal(existsSync(join(dir.path, 'report.txt')), false);
  } finally {
    dir.cleanup();
  }
});
