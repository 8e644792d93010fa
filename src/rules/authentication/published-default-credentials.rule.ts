import { asArray, asRecord, asString, describeObject, nameOf, namespaceOf } from '../../core/object.js';
import { joinPath } from '../../core/path.js';
import { defineRule, type Violation } from '../../core/rule.js';
import { commandWords, findFlags, mentions } from '../../k8s/command-line.js';
import { containerConfigReferences, containerEnv, storedValuesOf, type ConfigKind } from '../../k8s/env-resolution.js';
import { containersOf, type ContainerRef } from '../../k8s/workloads.js';
import { credentialsOfRule, publishedCredentials, secretNameMatches, type PublishedCredential } from '../../platforms/default-credentials.js';
import { ANY_KIND, OBJECT_SOURCES } from '../rule-defaults.js';
import type { Inventory } from '../../core/inventory.js';

const RULE_ID = 'published-default-credentials';

/**
 * The published credential a key or env var holds, if any. Compared exactly: these are
 * machine-made values. Entries naming the Secret the product ships win over the generic ones,
 * so a finding says which product the value came from.
 */
function publishedMatch(key: string, value: string, secretName: string | undefined): PublishedCredential | undefined {
  const withKey = credentialsByKey().get(key);
  // Nearly every env var and key is none of the listed names: answered without a list per name.
  if (withKey === undefined) return undefined;
  const candidates = withKey.filter((credential) => credential.value === value);
  const named = secretName === undefined ? undefined : candidates.find((c) => c.secretNames.length > 0 && secretNameMatches(c, secretName));
  return named ?? candidates.find((c) => c.secretNames.length === 0);
}

/** This rule's credentials by each key name they list, in the list's order; made once per list of shipped credentials. */
let byKey: { readonly of: readonly PublishedCredential[]; readonly map: ReadonlyMap<string, readonly PublishedCredential[]> } | undefined;

function credentialsByKey(): ReadonlyMap<string, readonly PublishedCredential[]> {
  const all = publishedCredentials();
  if (byKey?.of !== all) {
    const map = new Map<string, PublishedCredential[]>();
    for (const credential of credentialsOfRule(RULE_ID)) {
      for (const key of new Set(credential.keys)) {
        const list = map.get(key);
        if (list) list.push(credential);
        else map.set(key, [credential]);
      }
    }
    byKey = { of: all, map };
  }
  return byKey.map;
}

/**
 * Env vars a container takes from ConfigMaps (and Secrets, under a name the Secret's key is not): a password moved out of its Secret (where a copied
 * overlay or a hurried fix puts it) is still the published one, and now readable by anyone who
 * may read ConfigMaps. `envFrom` prefixes count: `prefix: POSTGRES_` over a key `PASSWORD` is
 * POSTGRES_PASSWORD. A ConfigMap nobody reads is not judged (its keys may be test settings).
 */
function* fromReferences(site: ContainerRef, namespace: string | undefined, inventory: Inventory): Iterable<Violation> {
  // Paths are made only for a match: nearly every container references nothing published.
  const pathOf = (kind: ConfigKind, holder: string): string =>
    containerConfigReferences(site.container, site.path).find((ref) => ref.kind === kind && ref.name === holder)?.path ?? site.path;
  const seen = new Set<string>();
  // Secrets are followed too (the value is compared, never shown): a Secret key the Secret check
  // cannot name (`PASSWORD` under `prefix: POSTGRES_`) is judged by the env name it becomes.
  for (const binding of containerEnv(site.container, namespace, inventory, { secrets: true })) {
    if (binding.source.kind === 'inline' || seen.has(binding.name)) continue;
    // The Secret check already reports a key it can name; only a renaming reference adds anything.
    if (binding.source.kind === 'Secret' && publishedMatch(binding.source.key, binding.value.trim(), binding.source.name)) continue;
    const credential = publishedMatch(binding.name, binding.value.trim(), undefined);
    if (!credential || binding.value.trim() === '') continue;
    seen.add(binding.name);
    const { kind, name: holder } = binding.source;
    const path = pathOf(kind, holder);
    const readable = kind === 'ConfigMap' ? ' where anyone who may read ConfigMaps can read it' : '';
    yield {
      message: `Container "${site.name}" takes env ${binding.name} from ${kind} ${holder} (key "${binding.source.key}"), which holds the published default of ${credential.product}${readable}: whoever has it can ${credential.grants}.`,
      path,
      severity: credential.severity,
      evidence: [`env ${binding.name} from ${kind} ${holder} key ${binding.source.key}: published default value (not shown)`, `published in ${credential.source}`],
      discriminator: `${path}|${binding.name}`,
    };
  }
}

/**
 * Published secrets passed as flags (`--cookie-secret=…`, `--client-secret …`): the same value as
 * in a Secret, and readable by anyone who may read the pod spec. The finding names the flag, and
 * points at the argument, never quoting it.
 */
/** The credentials passed as flags and their flag names, per list of shipped credentials (read once). */
let flagCredentials: { readonly of: readonly PublishedCredential[]; readonly credentials: readonly PublishedCredential[]; readonly names: readonly string[] } | undefined;

function* fromFlags(site: ContainerRef): Iterable<Violation> {
  const all = publishedCredentials();
  if (flagCredentials?.of !== all) {
    const withFlags = credentialsOfRule(RULE_ID).filter((c) => c.flags.length > 0);
    flagCredentials = { of: all, credentials: withFlags, names: [...new Set(withFlags.flatMap((c) => c.flags))] };
  }
  const { credentials, names } = flagCredentials;
  if (names.length === 0 || !mentions(site.container, names)) return;
  for (const use of findFlags(commandWords(site.container, site.path), names)) {
    const value = use.value?.trim();
    if (!value) continue;
    const credential = credentials.find((c) => c.flags.includes(use.flag) && c.value === value);
    if (!credential) continue;
    yield {
      message: `Container "${site.name}" passes --${use.flag} on its command line with the published default of ${credential.product}: whoever has it can ${credential.grants}.`,
      path: use.path,
      severity: credential.severity,
      evidence: [`container ${site.name} flag --${use.flag}: published default value (not shown)`, `published in ${credential.source}`],
      discriminator: `${use.path}|${use.flag}`,
    };
  }
}

export default defineRule({
  meta: {
    id: RULE_ID,
    title: 'Database password or gateway secret still has the value the manifests publish',
    severity: 'medium',
    category: 'authentication',
    description:
      "A Secret key, an inline container env var, a container command-line flag (oauth2-proxy's `--cookie-secret` and `--client-secret`, as `--flag=value` or `--flag value`), or an env var a container takes from a ConfigMap in the scanned set (`envFrom`, prefix included, or `configMapKeyRef`) holds a credential Kubeflow's manifests ship as a fixed value (`data/lists/default-credentials.yaml`): the Hub Model Registry database (`root` / `test`), the model catalog's PostgreSQL (`postgres` / `postgres`), Katib's and ML Metadata's MySQL root (`test`), the KFP MySQL root with an empty password, and the oauth2-proxy cookie secret (high: it signs session cookies) and OIDC client secret. Only the listed key names are compared, exactly; the finding names the Secret and key (or the container and flag), never the value. Dex passwords and object-store keys have their own rules.",
    rationale:
      'Every Kubeflow install made from the example manifests has these values, and they are printed in a public repository. Whoever reaches the database Service (any pod in the mesh, in the stock install) can read and rewrite runs, experiments and which model version is registered for deployment; whoever knows the cookie secret can forge a session for any user at the gateway.',
    remediation:
      'Generate new values (`openssl rand -hex 16` for the cookie secret, a new client secret in both Dex and oauth2-proxy, new database passwords) in an overlay or a secret manager, and restart the components that read them.',
    references: [
      'https://github.com/kubeflow/community-distribution#change-default-user-password',
      'https://oauth2-proxy.github.io/oauth2-proxy/configuration/overview/',
      'https://attack.mitre.org/techniques/T1078/001/',
    ],
    mitre: ['T1078.001', 'T1552', 'MS-TA9005'],
    match: ANY_KIND,
    sources: OBJECT_SOURCES,
    needs: { reads: ['ConfigMap'], snapshot: 'optional', request: false, cost: 'cheap' },
  },
  *check(object, { inventory }): Iterable<Violation> {
    if (object.kind === 'Secret' && object.apiVersion === 'v1') {
      const stored = storedValuesOf(object);
      // `kfguard snapshot` empties every value: an empty password counts only beside a value that was kept.
      const valuesKept = stored.some((entry) => entry.value !== '');
      for (const entry of stored) {
        if (entry.value.trim() === '' && !valuesKept) continue;
        const credential = publishedMatch(entry.key, entry.value.trim(), nameOf(object));
        if (!credential) continue;
        yield {
          message: `${describeObject(object)} key "${entry.key}" holds the published default of ${credential.product}: whoever has it can ${credential.grants}.`,
          path: entry.path,
          severity: credential.severity,
          evidence: [`${entry.path}: published default value (not shown)`, `published in ${credential.source}`],
          discriminator: entry.key,
        };
      }
      return;
    }
    for (const site of containersOf(object)) {
      for (const [i, raw] of asArray(site.container.env).entries()) {
        const entry = asRecord(raw);
        const name = asString(entry?.name);
        const value = asString(entry?.value);
        if (!name || value === undefined) continue;
        const credential = publishedMatch(name, value.trim(), undefined);
        if (!credential) continue;
        const path = joinPath(site.path, 'env', i, 'value');
        yield {
          message: `Container "${site.name}" sets env ${name} inline to the published default of ${credential.product}: whoever has it can ${credential.grants}.`,
          path,
          severity: credential.severity,
          evidence: [`env ${name}: published default value (not shown)`, `published in ${credential.source}`],
          discriminator: path,
        };
      }
      yield* fromReferences(site, namespaceOf(object), inventory);
      yield* fromFlags(site);
    }
  },
});
