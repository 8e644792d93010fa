// scripts/kind-rbac-checks.sh, the RBAC step of scripts/kind-e2e.sh, run under the script's own
// `set -euo pipefail` with a stand-in kubectl that answers `auth can-i` as the real one does:
// "yes" with exit 0, "no" with exit 1 (kubectl's cani.go calls os.Exit(1) when not allowed). No
// kind cluster runs here, so this is the only place the step's shell logic is exercised.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { tempDir } from '../helpers/cli.js';

const SCANNER = 'system:serviceaccount:kfguard:kfguard-scanner';
const WATCHER = 'system:serviceaccount:kfguard:kfguard-watch';

/** What deploy/scanner grants, as `verb resource account` lines. */
const DEPLOYED = [
  `get pods ${SCANNER}`,
  `list pods ${SCANNER}`,
  `get pods ${WATCHER}`,
  `list pods ${WATCHER}`,
  `watch pods ${WATCHER}`,
  `create events.events.k8s.io ${WATCHER}`,
];

const bin = tempDir('kfguard-kind-rbac-');
after(() => bin.cleanup());
// `kubectl auth can-i VERB RESOURCE --as ACCOUNT -A`, answered from $ALLOWED (one grant a line).
writeFileSync(
  join(bin.path, 'kubectl'),
  `#!/usr/bin/env bash
[ "$1 $2" = "auth can-i" ] || { echo "unexpected: kubectl $*" >&2; exit 3; }
if printf '%s\\n' "$ALLOWED" | grep -qxF -- "$3 $4 $6"; then echo yes; exit 0; fi
echo "no - no RBAC policy matched"; exit 1
`,
);
chmodSync(join(bin.path, 'kubectl'), 0o755);

function check(allowed: readonly string[]): { status: number | null; stderr: string } {
  const script = `set -euo pipefail
fail() { echo "kind-e2e: FAIL: $*" >&2; exit 1; }
source scripts/kind-rbac-checks.sh
check_scanner_rbac
echo checked`;
  const run = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: REPO_ROOT, encoding: 'utf8', env: { PATH: `${bin.path}:${process.env.PATH ?? ''}`, ALLOWED: allowed.join('\n') } });
  return { status: run.status, stderr: run.stderr };
}

describe('scripts/kind-rbac-checks.sh', () => {
  test('passes on the RBAC deploy/scanner grants, though kubectl exits 1 on every "no"', () => {
    const run = check(DEPLOYED);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
  });

  test('fails, naming the check, when the scan account can watch', () => {
    const run = check([...DEPLOYED, `watch pods ${SCANNER}`]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /kubectl auth can-i watch pods --as system:serviceaccount:kfguard:kfguard-scanner -A answered 'yes', expected 'no'/);
  });

  test('fails when the scan account can write Events, which only the watch may', () => {
    const run = check([...DEPLOYED, `create events.events.k8s.io ${SCANNER}`]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /create events\.events\.k8s\.io --as system:serviceaccount:kfguard:kfguard-scanner -A answered 'yes'/);
  });

  test('fails when the watch account cannot watch', () => {
    const run = check(DEPLOYED.filter((grant) => grant !== `watch pods ${WATCHER}`));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /watch pods --as system:serviceaccount:kfguard:kfguard-watch -A answered 'no', expected 'yes'/);
  });
});
