import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { bcryptMatches, parseBcrypt } from '../../src/bcrypt/bcrypt.js';

/**
 * bcryptMatches (bcryptjs underneath) against hashes made by another implementation: libxcrypt's
 * crypt_blowfish, the one glibc systems use (the file says how they were generated). They cover
 * every variant kfguard accepts, empty, 72-byte and longer passwords, and non-ASCII UTF-8.
 */
interface Vector {
  readonly hash: string;
  readonly password: string;
}
const { vectors } = JSON.parse(readFileSync(new URL('./libxcrypt-vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

describe('bcrypt agrees with libxcrypt', () => {
  test('the vector file covers every variant and the 72-byte boundary', () => {
    const variants = new Set(vectors.map((v) => parseBcrypt(v.hash)?.variant));
    assert.deepEqual([...variants].sort(), ['2a', '2b', '2x', '2y']);
    assert.ok(vectors.some((v) => Buffer.byteLength(v.password) > 72));
    assert.ok(vectors.some((v) => /[^\x20-\x7e]/u.test(v.password)));
  });

  for (const { hash, password } of vectors) {
    test(`${hash.slice(0, 7)} ${JSON.stringify(password.slice(0, 16))}`, () => {
      assert.equal(bcryptMatches(password, hash), true);
      // Past 72 bytes a changed tail changes nothing; anywhere before it, the verdict flips.
      const changed = `${password.slice(0, -1)}${password.endsWith('x') ? 'y' : 'x'}`;
      assert.equal(bcryptMatches(changed, hash), Buffer.byteLength(password) > 72 && Buffer.byteLength(changed) > 72 && password.length === changed.length);
    });
  }

  test('$2x$ is checked only for ASCII passwords, where it equals $2a$', () => {
    const ascii = vectors.find((v) => v.hash.startsWith('$2x$'));
    assert.ok(ascii);
    assert.equal(bcryptMatches(ascii.password, ascii.hash), true);
    assert.equal(bcryptMatches('pässwörd', ascii.hash), undefined);
  });

  test('a salt and digest from one hash never verify under another cost or variant', () => {
    fc.assert(
      fc.property(fc.constantFrom(...vectors.filter((v) => !v.hash.startsWith('$2x$'))), fc.constantFrom('05', '06'), ({ hash, password }, cost) => {
        assert.equal(bcryptMatches(password, `${hash.slice(0, 4)}${cost}${hash.slice(6)}`), false);
      }),
      { numRuns: 10 },
    );
  });
});
