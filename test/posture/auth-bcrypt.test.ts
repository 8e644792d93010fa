import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { isRecord } from '../../src/core/object.js';
import { bcryptMatches, MAX_BCRYPT_COST, parseBcrypt } from '../../src/bcrypt/bcrypt.js';
import { BcryptBudget, documentedDefaultPasswords, documentedDefaultPasswordOf, MAX_VERIFIED_HASHES, publishedDefaultHashes } from '../../src/platforms/default-passwords.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { cpuMs } from '../helpers/cpu-time.js';

/**
 * Test vectors from the crypt_blowfish test suite (Openwall, public domain),
 * https://www.openwall.com/crypt/ (crypt_blowfish-1.3, wrapper.c `tests[]`).
 */
const VECTORS: readonly (readonly [string, string])[] = [
  ['$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'U*U'],
  ['$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK', 'U*U*'],
  ['$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a', 'U*U*U'],
  ['$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy', ''],
  [
    '$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui',
    '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored',
  ],
];

describe('bcrypt verification', () => {
  for (const [hash, password] of VECTORS) {
    test(`matches the published vector for ${JSON.stringify(password.slice(0, 12))}`, () => {
      assert.equal(bcryptMatches(password, hash), true);
      assert.equal(bcryptMatches(`${password}!`, hash), password.length >= 72);
    });
  }

  test('only the first 72 bytes of the password count', () => {
    const [hash, password] = VECTORS[4] ?? ['', ''];
    assert.equal(bcryptMatches(password.slice(0, 72), hash), true);
    assert.equal(bcryptMatches(password.slice(0, 71), hash), false);
  });

  test('refuses costs above the bound instead of spending minutes on hostile input', async () => {
    const hostile = '$2y$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
    assert.equal(parseBcrypt(hostile)?.cost, 31);
    // CPU time, not the wall clock: refusing costs about 2 ms, hashing at cost 12 already hundreds.
    const refused = await cpuMs(() => bcryptMatches('U*U', hostile));
    assert.equal(refused.value, undefined);
    assert.ok(refused.ms < 100, `${refused.ms} ms of CPU`);
    assert.equal(MAX_BCRYPT_COST, 12);
  });

  test('malformed hashes are "cannot check", not "no match"', () => {
    assert.equal(bcryptMatches('12341234', '12341234'), undefined);
    assert.equal(bcryptMatches('x', '$2y$05$tooShort'), undefined);
    assert.equal(bcryptMatches('x', '$1$abcdefgh$abcdefghijklmnopqrstuv'), undefined);
  });
});

describe('bcrypt against the stock Kubeflow Dex hash', requiresShared(), () => {
  test('the dex-passwords Secret of the example install hashes the documented default 12341234', () => {
    const text = readFileSync(sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml'), 'utf8');
    const secret = yaml
      .loadAll(text)
      .filter(isRecord)
      .find((doc) => doc.kind === 'Secret' && isRecord(doc.metadata) && doc.metadata.name === 'dex-passwords');
    assert.ok(secret && isRecord(secret.stringData), 'dex-passwords Secret not found in the stock install');
    const hash = secret.stringData.DEX_USER_PASSWORD;
    assert.equal(typeof hash, 'string');
    assert.equal(bcryptMatches('12341234', hash as string), true);
    assert.equal(bcryptMatches('12341235', hash as string), false);
  });
});

describe('published default hashes', () => {
  for (const [hash, password] of publishedDefaultHashes()) {
    test(`${hash.slice(0, 12)}… is bcrypt of ${JSON.stringify(password)}, which is a documented default`, () => {
      assert.ok(documentedDefaultPasswords().includes(password));
      assert.equal(bcryptMatches(password, hash), true);
      assert.deepEqual(documentedDefaultPasswordOf(hash), { password, how: 'published' });
    });
  }

  test('a default re-hashed with another salt is still found, by computing bcrypt', () => {
    const rehashed = '$2y$05$CCCCCCCCCCCCCCCCCCCCC.kZYy8.nFLWk86VWZ6Kj10QuCnVHdhoW';
    assert.equal(publishedDefaultHashes().has(rehashed), false);
    assert.deepEqual(documentedDefaultPasswordOf(rehashed), { password: '12341234', how: 'bcrypt' });
    assert.equal(documentedDefaultPasswordOf('$2y$05$CCCCCCCCCCCCCCCCCCCCC.WUstZ98ygny36JS7m4QJ/Vzzmo56Q82'), undefined);
  });
});

test('past the per-scan budget, hashes are left unchecked instead of stalling the scan', () => {
  const budget = new BcryptBudget();
  const hashes = Array.from({ length: MAX_VERIFIED_HASHES + 2 }, (_, i) => `$2y$04$${String(i).padStart(22, 'C')}${'D'.repeat(31)}`);
  const verdicts = hashes.map((hash) => documentedDefaultPasswordOf(hash, budget));
  assert.deepEqual(verdicts.slice(MAX_VERIFIED_HASHES), ['unchecked', 'unchecked']);
  assert.ok(verdicts.slice(0, MAX_VERIFIED_HASHES).every((v) => v === undefined));
  assert.equal(documentedDefaultPasswordOf(hashes[0]!, budget), undefined, 'a hash already verified stays within the budget');
  assert.equal(documentedDefaultPasswordOf(publishedDefaultHashes().keys().next().value!, budget)?.toString(), '[object Object]');
});

test('hashes reserved as likely defaults are verified even when decoys come first', () => {
  const decoys = Array.from({ length: MAX_VERIFIED_HASHES }, (_, i) => `$2y$04$${String(i).padStart(22, 'C')}${'D'.repeat(31)}`);
  const rehashedDefault = '$2y$05$CCCCCCCCCCCCCCCCCCCCC.kZYy8.nFLWk86VWZ6Kj10QuCnVHdhoW';
  const budget = new BcryptBudget([rehashedDefault]);
  const verdicts = decoys.map((hash) => documentedDefaultPasswordOf(hash, budget));
  assert.deepEqual(verdicts.at(-1), 'unchecked', 'the reservation leaves one slot fewer for the rest');
  assert.deepEqual(documentedDefaultPasswordOf(rehashedDefault, budget), { password: '12341234', how: 'bcrypt' });
});

test('a cost above the cap is "unchecked", never read as "no default"', () => {
  assert.equal(documentedDefaultPasswordOf('$2y$13$efqCFw7ae5D.72AlZMo0DOilgKCeQ80Uh67RxCsch5qQBvbqSoY1q'), 'unchecked');
  assert.equal(documentedDefaultPasswordOf('not a hash'), undefined);
});
