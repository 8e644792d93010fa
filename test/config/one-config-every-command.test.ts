import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

// One .kfguard.yaml serves scan, audit, webhook and export: options of an audit detection must not
// make the file a config error for the commands that do not run audit detections.
const CONFIG = `rules:
  audit-pipeline-pod-burst:
    options: { namespaces: 7, window: 5m }
`;

test('export vap accepts a config that sets audit detection options, and still refuses unknown ids', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-one-config-'));
  try {
    writeFileSync(join(dir, 'ok.yaml'), CONFIG);
    const ok = await runCli(['export', 'vap', '--config', 'ok.yaml'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /ValidatingAdmissionPolicy/);

    writeFileSync(join(dir, 'typo.yaml'), 'rules:\n  audit-pipeline-pod-brust: { enabled: false }\n');
    const typo = await runCli(['export', 'vap', '--config', 'typo.yaml'], { cwd: dir });
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /audit-pipeline-pod-brust/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
