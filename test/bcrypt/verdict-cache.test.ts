import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BCRYPT_VERDICT_CACHE_SIZE, bcryptMatches, rememberBcryptVerdict } from '../../src/bcrypt/bcrypt.js';

/** A well-formed cost-4 hash (cheap to compute) that no password here matches. */
function hashNumber(n: number): string {
  const salt = n.toString(36).padStart(22, 'a');
  return `$2b$04$${salt}${'b'.repeat(31)}`;
}

describe('bcrypt verdict cache', () => {
  it('serves a remembered verdict, then forgets it after the cache has filled with others', () => {
    const first = hashNumber(0);
    // A deliberately wrong verdict shows whether the answer came from the cache or was computed.
    rememberBcryptVerdict('password', first, true);
    assert.equal(bcryptMatches('password', first), true);
    for (let n = 1; n <= BCRYPT_VERDICT_CACHE_SIZE; n++) rememberBcryptVerdict('password', hashNumber(n), false);
    assert.equal(bcryptMatches('password', first), false);
  });
});
