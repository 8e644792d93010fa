import { bcryptMatches } from '../bcrypt/bcrypt.js';

/**
 * Passwords published as defaults: Kubeflow's `user@example.com` / `12341234`
 * (https://github.com/kubeflow/manifests#change-default-user-password) and Dex's example `password`
 * (https://github.com/dexidp/dex/blob/master/examples/config-dev.yaml).
 */
export const DOCUMENTED_DEFAULT_PASSWORDS: readonly string[] = ['12341234', 'password'];

/**
 * The exact hashes those sources ship, copied verbatim into countless installs. Recognising them
 * by string saves a cost-12 bcrypt (about a third of a second) on every scan of a stock install;
 * a test recomputes each entry, so the table cannot drift from what bcrypt says.
 */
export const PUBLISHED_DEFAULT_HASHES: ReadonlyMap<string, string> = new Map([
  // https://github.com/kubeflow/manifests/blob/master/common/dex/base/dex-passwords.yaml
  ['$2y$12$4K/VkmDd1q1Orb3xAt82zu8gk7Ad6ReFR4LCP9UeYE90NLiN9Df72', '12341234'],
  // https://github.com/dexidp/dex/blob/master/examples/config-dev.yaml
  ['$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W', 'password'],
]);

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

/** Distinct hashes already verified (or refused) in one scan; one per inventory. */
export class BcryptBudget {
  private readonly verified = new Set<string>();

  /** True when `hash` may be verified: seen before, or still within the budget. */
  allows(hash: string): boolean {
    if (this.verified.has(hash)) return true;
    if (this.verified.size >= MAX_VERIFIED_HASHES) return false;
    this.verified.add(hash);
    return true;
  }
}

/** Which documented default password `hash` is the bcrypt hash of, if any; `unchecked` past the budget. */
export function documentedDefaultPasswordOf(hash: string, budget?: BcryptBudget): DefaultPasswordMatch | 'unchecked' | undefined {
  const published = PUBLISHED_DEFAULT_HASHES.get(hash.trim());
  if (published !== undefined) return { password: published, how: 'published' };
  if (budget && !budget.allows(hash.trim())) return 'unchecked';
  const computed = DOCUMENTED_DEFAULT_PASSWORDS.find((password) => bcryptMatches(password, hash) === true);
  return computed === undefined ? undefined : { password: computed, how: 'bcrypt' };
}
