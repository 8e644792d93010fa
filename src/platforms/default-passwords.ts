import { bcryptMatches, MAX_BCRYPT_COST, parseBcrypt } from '../bcrypt/bcrypt.js';
import { isRecord } from '../core/object.js';
import { requiredText, shippedList } from '../data/list-file.js';

interface ShippedDefaults {
  readonly passwords: readonly string[];
  readonly publishedHashes: ReadonlyMap<string, string>;
}

let shipped: ShippedDefaults | undefined;

/**
 * Passwords published as defaults for Dex static users, and the exact hashes their sources ship
 * (`data/lists/dex-default-passwords.yaml`). Those hashes are copied verbatim into countless
 * installs: recognising them by string saves a cost-12 bcrypt (about a third of a second) per scan.
 */
function shippedDefaults(): ShippedDefaults {
  if (shipped) return shipped;
  const passwords: string[] = [];
  const publishedHashes = new Map<string, string>();
  for (const entry of shippedList('dex-default-passwords')) {
    const password = requiredText(entry, 'value');
    passwords.push(password);
    const hashes = entry.fields.publishedHashes ?? [];
    if (!Array.isArray(hashes)) throw new Error(`${entry.where}: "publishedHashes" must be a list`);
    hashes.forEach((raw: unknown, i) => {
      const hash = isRecord(raw) ? raw.hash : undefined;
      const source = isRecord(raw) ? raw.source : undefined;
      if (typeof hash !== 'string' || typeof source !== 'string' || !source.startsWith('https://')) {
        throw new Error(`${entry.where} publishedHashes[${i}]: needs a "hash" and a "source" https URL`);
      }
      publishedHashes.set(hash, password);
    });
  }
  shipped = { passwords, publishedHashes };
  return shipped;
}

/** The shipped default passwords. */
export function documentedDefaultPasswords(): readonly string[] {
  return shippedDefaults().passwords;
}

/** Published hash → the default password it hashes; a test recomputes each, so it cannot drift from bcrypt. */
export function publishedDefaultHashes(): ReadonlyMap<string, string> {
  return shippedDefaults().publishedHashes;
}

export interface DefaultPasswordMatch {
  readonly password: string;
  /** `published` when the hash is one a source ships verbatim, `bcrypt` when it was computed. */
  readonly how: 'published' | 'bcrypt';
}

/**
 * How many distinct hashes one scan verifies with bcrypt. A cost-12 check is a third of a second
 * per password, so a config listing thousands of users must not stall the scan for minutes; real
 * Dex configs list one to three static users.
 */
export const MAX_VERIFIED_HASHES = 4;

/**
 * Distinct hashes verified in one scan; one per inventory. Hashes most likely to be defaults are
 * reserved up front (`priority`, ranked by the caller: static users named `admin` or `user` first),
 * so decoy hashes placed earlier in the input cannot spend the budget before the real default is
 * reached. Hashes outside the reservation take what is left, first come first served.
 */
export class BcryptBudget {
  private readonly verified = new Set<string>();
  private readonly reserved: ReadonlySet<string>;

  constructor(priority: readonly string[] = []) {
    const reserved = new Set<string>();
    for (const hash of priority) {
      const trimmed = hash.trim();
      if (reserved.size >= MAX_VERIFIED_HASHES) break;
      if (!publishedDefaultHashes().has(trimmed) && isVerifiableHash(trimmed)) reserved.add(trimmed);
    }
    this.reserved = reserved;
    for (const hash of reserved) this.verified.add(hash);
  }

  /** True when `hash` may be verified: reserved, seen before, or still within the budget. */
  allows(hash: string): boolean {
    if (this.verified.has(hash)) return true;
    if (this.verified.size >= MAX_VERIFIED_HASHES) return false;
    this.verified.add(hash);
    return true;
  }
}

/** A well-formed bcrypt hash whose cost kfguard is willing to compute. */
export function isVerifiableHash(hash: string): boolean {
  const parsed = parseBcrypt(hash);
  return parsed !== undefined && parsed.cost >= 4 && parsed.cost <= MAX_BCRYPT_COST;
}

/**
 * Which default password `hash` is the bcrypt hash of, if any. `unchecked` when it could not be
 * verified: past the budget, or a cost above MAX_BCRYPT_COST (which Dex may still accept), so the
 * caller can say so instead of reading it as "no match". Malformed hashes cannot log anyone in
 * and are simply no match. `appended` are passwords a user added in config, checked after the
 * shipped ones.
 */
export function documentedDefaultPasswordOf(hash: string, budget?: BcryptBudget, appended: readonly string[] = []): DefaultPasswordMatch | 'unchecked' | undefined {
  const trimmed = hash.trim();
  const published = publishedDefaultHashes().get(trimmed);
  if (published !== undefined) return { password: published, how: 'published' };
  const parsed = parseBcrypt(trimmed);
  if (!parsed) return undefined;
  if (parsed.cost > MAX_BCRYPT_COST) return 'unchecked';
  if (budget && !budget.allows(trimmed)) return 'unchecked';
  const computed = [...documentedDefaultPasswords(), ...appended].find((password) => bcryptMatches(password, trimmed) === true);
  return computed === undefined ? undefined : { password: computed, how: 'bcrypt' };
}
