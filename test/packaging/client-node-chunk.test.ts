// The chunk every `scan --cluster`, `watch` and `snapshot` compiles and runs before its first
// request holds client-node's KubeConfig and what it uses, not the whole package (scripts/build.mjs,
// clientNodeTrim): it was 1.1 MB, with the generated API models and node-fetch's Unicode tables.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';

test('the bundled KubeConfig chunk holds no unused client-node code', () => {
  const chunks = join(REPO_ROOT, 'dist', 'chunks');
  assert.ok(existsSync(chunks), 'run `npm run build` first (npm test does)');
  // esbuild writes the class as `var KubeConfig=class _KubeConfig{…}`.
  const holding = readdirSync(chunks).filter((name) => readFileSync(join(chunks, name), 'utf8').includes('KubeConfig=class'));
  assert.equal(holding.length, 1, `one chunk defines KubeConfig: ${holding.join(', ')}`);
  const text = readFileSync(join(chunks, holding[0]!), 'utf8');
  // Used: the auth providers KubeConfig applies (exec plugins, OIDC, Azure, GCP) and proxy agents.
  for (const kept of ['applyToHTTPSOptions', 'ExecAuth', 'OpenIDConnectAuth', 'SocksProxyAgent']) assert.ok(text.includes(kept), `${kept} is still bundled`);
  // Unused: the generated API client's models, and node-fetch with whatwg-url's tr46 table.
  for (const dropped of ['ObjectSerializer', 'mappingTable', 'V1PodSpec']) assert.ok(!text.includes(dropped), `${dropped} is not bundled`);
  assert.ok(text.length < 400_000, `the KubeConfig chunk is ${text.length} bytes`);
});
