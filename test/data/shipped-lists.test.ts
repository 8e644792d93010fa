import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listDataDir, readListFile } from '../../src/data/list-file.js';
import { internalLoadBalancerAnnotations } from '../../src/exposure/internal-load-balancers.js';
import { runtimeSocketExposedBy } from '../../src/k8s/runtime-sockets.js';
import { documentedDefaultPasswords, publishedDefaultHashes } from '../../src/platforms/default-passwords.js';
import { defaultSecretKeys } from '../../src/platforms/object-store-defaults.js';
import { indicatorsFor, loadIndicatorData } from '../../src/threat/indicators.js';
import { labelOf, signalWeight, type SignalKind } from '../../src/threat/signals.js';

describe('shipped detection data', () => {
  it('every data/lists file validates and each entry has an https source', () => {
    const files = readdirSync(listDataDir()).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 5, files.join(', '));
    for (const file of files) {
      for (const entry of readListFile(join(listDataDir(), file))) assert.match(entry.source, /^https:\/\/\S+$/, entry.where);
    }
  });

  it('every data/indicators list validates and each entry has an https source', () => {
    const data = loadIndicatorData();
    for (const key of ['downloaders', 'notMiners', 'buildSteps']) assert.ok((data[key]?.length ?? 0) > 0, `${key} is empty`);
    for (const entries of Object.values(data)) for (const entry of entries) assert.match(entry.source, /^https:\/\//);
  });

  it('the typed readers accept what ships', () => {
    const indicators = indicatorsFor(undefined);
    assert.ok(indicators.downloaders.has('curl') && indicators.downloaders.has('wget'));
    // Downloaders are never read as miners, whatever their flags look like.
    assert.ok(indicators.notMiners.has('curl') && indicators.notMiners.has('tar'));
    assert.ok(indicators.buildSteps.has('make'));
    for (const kind of ['stratum-url', 'gpu-request', 'obfuscation'] as SignalKind[]) assert.ok(signalWeight(kind) > 0, labelOf(kind));
    assert.equal(signalWeight('stratum-url'), 10);
    assert.ok(internalLoadBalancerAnnotations().some((a) => a.key === 'service.beta.kubernetes.io/aws-load-balancer-internal' && a.cloud === 'AWS'));
    assert.equal(runtimeSocketExposedBy('/var/run'), '/var/run/docker.sock');
    assert.ok(defaultSecretKeys().size >= 2);
    for (const password of publishedDefaultHashes().values()) assert.ok(documentedDefaultPasswords().includes(password));
  });

  it('rejects an entry without an https source, and a file without entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-lists-'));
    try {
      writeFileSync(join(dir, 'no-source.yaml'), 'version: 1\nentries:\n  - { value: /run/x.sock, source: "http://example.com" }\n');
      assert.throws(() => readListFile(join(dir, 'no-source.yaml')), /no-source\.yaml entries\[0\]: every entry needs a "source" https URL/);
      writeFileSync(join(dir, 'empty.yaml'), 'version: 1\nentries: []\n');
      assert.throws(() => readListFile(join(dir, 'empty.yaml')), /needs a non-empty "entries" list/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
