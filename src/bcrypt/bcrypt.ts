import { timingSafeEqual } from 'node:crypto';
import { hashSync } from 'bcryptjs';
import { BoundedCache } from '../core/bounded-cache.js';

/**
 * bcrypt verification of a hash against the handful of documented default passwords, with the
 * Blowfish work done by bcryptjs. What stays here is what a hostile manifest makes necessary: the
 * cost cap, the shape check, the verdict cache, and the variant mapping below.
 */

/** Work factors above this are refused: a hostile manifest must not be able to stall a scan. */
export const MAX_BCRYPT_COST = 12;

const HASH_SHAPE = /^\$(2[abxy]?)\$(\d{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;

export interface ParsedBcrypt {
  /** `2`, `2a`, `2b`, `2x` or `2y`. */
  readonly variant: string;
  readonly cost: number;
  /** The 22 radix-64 characters of the salt. */
  readonly salt: string;
  /** The 31 radix-64 characters of the digest. */
  readonly digest: string;
}

export function parseBcrypt(hash: string): ParsedBcrypt | undefined {
  const match = HASH_SHAPE.exec(hash.trim());
  if (!match) return undefined;
  const [, variant, cost, salt, digest] = match;
  if (variant === undefined || cost === undefined || salt === undefined || digest === undefined) return undefined;
  return { variant, cost: Number(cost), salt, digest };
}

/**
 * Verdicts kept per process. A scan checks at most a few hashes against two passwords, so 256
 * entries keep every verdict of many scans (and all a prefetch computed ahead of the rule), while a
 * webhook fed endless distinct hashes stays at a few tens of kilobytes.
 */
export const BCRYPT_VERDICT_CACHE_SIZE = 256;
const verdicts = new BoundedCache<string, boolean>(BCRYPT_VERDICT_CACHE_SIZE);

/**
 * True when `hash` is the bcrypt hash of `password`. Undefined when the hash is malformed or its
 * cost is above MAX_BCRYPT_COST, so callers can say "could not check" instead of "no match".
 * Results are cached per (hash, password): the same Dex config is seen by several rules and sources.
 */
export function bcryptMatches(password: string, hash: string): boolean | undefined {
  const parsed = parseBcrypt(hash);
  if (!parsed || parsed.cost < 4 || parsed.cost > MAX_BCRYPT_COST) return undefined;
  const cacheKey = `${hash.trim()}\u0000${password}`;
  const cached = verdicts.get(cacheKey);
  if (cached !== undefined) return cached;
  const computed = bcryptDigest(password, parsed);
  if (computed === undefined) return undefined;
  const expected = Buffer.from(parsed.digest);
  const verdict = computed.length === expected.length && timingSafeEqual(computed, expected);
  verdicts.set(cacheKey, verdict);
  return verdict;
}

/**
 * The digest `password` gives under the hash's salt and cost, or undefined when it cannot be
 * computed faithfully. bcryptjs knows `2`, `2a`, `2b` and `2y`. `2x` marks crypt_blowfish's old
 * sign-extension bug, which only changes the result for bytes above 0x7f: for an ASCII password it
 * is `2a`, and the documented default passwords are ASCII.
 */
function bcryptDigest(password: string, parsed: ParsedBcrypt): Buffer | undefined {
  let variant = parsed.variant;
  if (variant === '2x') {
    if ([...password].some((ch) => ch.charCodeAt(0) > 0x7f)) return undefined;
    variant = '2a';
  }
  const cost = String(parsed.cost).padStart(2, '0');
  const hashed = hashSync(password, `$${variant}$${cost}$${parsed.salt}`);
  return Buffer.from(hashed.slice(-31));
}

/** Records a verdict computed elsewhere (a prefetch worker), so `bcryptMatches` need not recompute it. */
export function rememberBcryptVerdict(password: string, hash: string, verdict: boolean): void {
  verdicts.set(`${hash.trim()}\u0000${password}`, verdict);
}

