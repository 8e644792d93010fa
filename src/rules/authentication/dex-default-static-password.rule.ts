import { namespaceOf } from '../../core/object.js';
import { defineRule, type Violation } from '../../core/rule.js';
import { appendedList, ruleOptionsOf } from '../../core/rule-options.js';
import { BcryptBudget, documentedDefaultPasswordOf, MAX_VERIFIED_HASHES } from '../../platforms/default-passwords.js';
import { dexConfigOf, type DexStaticPassword } from '../../platforms/dex-config.js';
import { resolveEnvInNamespace, secretsWithKey, type ResolvedEnv } from '../../k8s/env-resolution.js';
import { SPEC_SOURCES } from '../rule-defaults.js';
import type { DerivedAnalysis, Inventory } from '../../core/inventory.js';
import { MAX_BCRYPT_COST } from '../../bcrypt/bcrypt.js';

const RULE_ID = 'dex-default-static-password';

/** `rules.dex-default-static-password.options`: more passwords to treat as published defaults. */
interface DexPasswordOptions {
  readonly defaultPasswords?: readonly string[];
}

export default defineRule({
  meta: {
    id: RULE_ID,
    title: 'Dex static user still has the documented default password',
    severity: 'high',
    category: 'authentication',
    description:
      "A Dex config (`config.yaml` in a ConfigMap or Secret) enables the password database with a static user whose bcrypt hash is the hash of a published default password (Kubeflow's `user@example.com` / `12341234`, Dex's `password`). The hashes Kubeflow and Dex publish are recognised as they are; any other hash is checked by computing bcrypt, so a re-hashed default is caught as well (at most " + String(MAX_VERIFIED_HASHES) + " distinct hashes per scan, so a config with thousands of users cannot stall it; hashes of users named `admin` or `user` are checked first, and any hash left unchecked is reported with a coverage entry: high when its user is named `admin` or `user`, since decoys of those names are what would push a real default out of the budget, low otherwise). Inline `hash` and `hashFromEnv` (resolved through the Dex Deployment's env and Secrets) are both followed.",
    rationale:
      'The stock Kubeflow install logs everyone in through Dex, and its README publishes the default user and password. Anyone who can reach the login page can sign in as that user, who owns the `kubeflow-user-example-com` profile: notebooks, pipelines and their service accounts. The default is fine for a throw-away test cluster and nowhere else.',
    remediation:
      'Generate a new hash (`htpasswd -bnBC 12 "" NEW_PASSWORD | tr -d \':\\n\'`) and put it in the Secret Dex reads (`dex-passwords` in the stock install), or remove `staticPasswords` and connect Dex to your identity provider.',
    references: [
      'https://github.com/kubeflow/manifests#change-default-user-password',
      'https://dexidp.io/docs/connectors/local/',
      'https://attack.mitre.org/techniques/T1078/001/',
    ],
    mitre: ['T1078.001', 'T1133', 'MS-TA9005'],
    match: [{ apiGroups: [''], kinds: ['ConfigMap', 'Secret'] }],
    sources: SPEC_SOURCES,
    needs: { reads: ['Secret', 'ConfigMap'], snapshot: 'optional', request: false, cost: 'expensive' },
    options: (zod) => zod.strictObject({ defaultPasswords: appendedList(zod) }),
  },
  *check(object, ctx): Iterable<Violation> {
    const config = dexConfigOf(object);
    if (!config?.passwordDbEnabled) return;
    const appended = ruleOptionsOf<DexPasswordOptions>(ctx.config, RULE_ID)?.defaultPasswords;
    const budget = budgetFor(ctx.inventory);
    const unchecked: DexStaticPassword[] = [];
    // The likeliest defaults first, so this config's own decoys cannot spend the budget either.
    for (const user of byLikelihood(config.staticPasswords)) {
      for (const candidate of hashCandidates(user, namespaceOf(object), ctx.inventory)) {
        const match = documentedDefaultPasswordOf(candidate.value, budget, appended);
        if (match === 'unchecked') {
          if (!unchecked.includes(user)) unchecked.push(user);
          continue;
        }
        if (!match) continue;
        yield {
          message: `Dex static user ${user.email} still has the documented default password (hash from ${candidate.origin}); anyone who reaches the login page can sign in as this user.`,
          path: config.entry.path,
          evidence: [
            `staticPasswords[${user.index}] email ${user.email}`,
            `hash source: ${candidate.origin}`,
            match.how === 'published' ? 'the hash is the one the published default ships with' : 'bcrypt of a published default password matches the hash',
          ],
          discriminator: `${user.email}|${candidate.origin}`,
        };
      }
    }
    if (unchecked.length === 0) return;
    // Never silent: a scan that could not check a hash says which users it skipped.
    const users = unchecked.map((user) => `staticPasswords[${user.index}] ${user.email}`);
    const reason = `${unchecked.length} Dex static-password hash(es) not checked against the default passwords (over the per-scan bcrypt budget of ${String(MAX_VERIFIED_HASHES)} hashes, or cost above ${String(MAX_BCRYPT_COST)})`;
    ctx.budget.exhaust(reason);
    yield {
      message: `${reason}: ${users.slice(0, 5).join(', ')}${users.length > 5 ? ` and ${users.length - 5} more` : ''}. Check them by hand or scan this config alone.`,
      path: config.entry.path,
      // A hash left unchecked on an `admin` or `user` account is exactly what decoys ahead of it buy
      // (they take the budget reserved for likely defaults): that must fail CI, not pass as low.
      severity: unchecked.some(likelyDefault) ? 'high' : 'low',
      evidence: users,
      discriminator: 'unchecked',
    };
  },
});

/** Static users whose name says they are the account a quick-start ships: checked first. */
const LIKELY_DEFAULT_USERS = new Set(['admin', 'user']);

function likelyDefault(user: DexStaticPassword): boolean {
  const local = user.email.split('@')[0]?.toLowerCase() ?? '';
  return LIKELY_DEFAULT_USERS.has(local) || LIKELY_DEFAULT_USERS.has(user.username?.toLowerCase() ?? '');
}

function byLikelihood(users: readonly DexStaticPassword[]): DexStaticPassword[] {
  return [...users].sort((a, b) => Number(likelyDefault(b)) - Number(likelyDefault(a)) || a.index - b.index);
}

/**
 * Every static-password hash of every Dex config in the scan, likeliest defaults first: the
 * hashes the budget reserves before any is checked, whatever order the input lists them in.
 */
const HASH_PRIORITY: DerivedAnalysis<readonly string[]> = {
  name: 'dex static-password hash priority',
  build(inventory) {
    const likely: string[] = [];
    const other: string[] = [];
    for (const scanned of [...inventory.ofKind('ConfigMap', ''), ...inventory.ofKind('Secret', '')]) {
      const config = dexConfigOf(scanned.object);
      if (!config?.passwordDbEnabled) continue;
      for (const user of config.staticPasswords) {
        const hashes = hashCandidates(user, namespaceOf(scanned.object), inventory).map((candidate) => candidate.value);
        (likelyDefault(user) ? likely : other).push(...hashes);
      }
    }
    return [...likely, ...other];
  },
};

/** One budget per build of the priority list: a changed Dex config in a long-running watch gets a fresh one. */
const budgets = new WeakMap<readonly string[], BcryptBudget>();

function budgetFor(inventory: Inventory): BcryptBudget {
  const priority = inventory.derived(HASH_PRIORITY);
  let budget = budgets.get(priority);
  if (!budget) {
    budget = new BcryptBudget(priority);
    budgets.set(priority, budget);
  }
  return budget;
}

function hashCandidates(user: DexStaticPassword, namespace: string | undefined, inventory: Inventory): ResolvedEnv[] {
  if (user.hash) return [{ value: user.hash, origin: `staticPasswords[${user.index}].hash` }];
  if (!user.hashFromEnv) return [];
  const viaWorkloads = resolveEnvInNamespace(inventory, namespace, user.hashFromEnv);
  return viaWorkloads.length > 0 ? viaWorkloads : secretsWithKey(inventory, namespace, user.hashFromEnv);
}
