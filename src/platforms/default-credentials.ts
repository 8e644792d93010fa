import type { Severity } from '../core/severity.js';
import { requiredText, shippedList } from '../data/list-file.js';

/** One published credential from `data/lists/default-credentials.yaml`. Its value is never printed. */
export interface PublishedCredential {
  readonly product: string;
  /** The rule that reports it. */
  readonly rule: string;
  /** Secret keys or env var names holding it; empty when `anySecretKey`. */
  readonly keys: readonly string[];
  readonly anySecretKey: boolean;
  /** Command-line flags (no dashes) that take it: `cookie-secret` for oauth2-proxy's `--cookie-secret`. */
  readonly flags: readonly string[];
  readonly value: string;
  /** Secrets it counts in; empty means any. */
  readonly secretNames: readonly string[];
  readonly severity: Severity;
  readonly grants: string;
  readonly source: string;
}

const SEVERITIES: readonly string[] = ['info', 'low', 'medium', 'high', 'critical'];
let shipped: readonly PublishedCredential[] | undefined;

/** Every published credential, validated on first use. */
export function publishedCredentials(): readonly PublishedCredential[] {
  if (shipped) return shipped;
  shipped = shippedList('default-credentials').map((entry): PublishedCredential => {
    const { fields } = entry;
    const keys = fields.keys ?? [];
    const secretNames = fields.secretNames ?? [];
    const flags = fields.flags ?? [];
    const anySecretKey = fields.anySecretKey === true;
    const severity = requiredText(entry, 'severity');
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k === '')) throw new Error(`${entry.where}: "keys" must be a list of names`);
    if (!Array.isArray(secretNames) || secretNames.some((n) => typeof n !== 'string' || n === '')) throw new Error(`${entry.where}: "secretNames" must be a list of names`);
    if (!Array.isArray(flags) || flags.some((f) => typeof f !== 'string' || f === '' || f.startsWith('-'))) throw new Error(`${entry.where}: "flags" must be a list of flag names without dashes`);
    if (anySecretKey === keys.length > 0) throw new Error(`${entry.where}: give either "keys" or "anySecretKey: true"`);
    if (typeof fields.value !== 'string') throw new Error(`${entry.where}: needs a string "value"`);
    // An empty password is a default only where the product ships it; anywhere else it is noise.
    if (fields.value === '' && secretNames.length === 0) throw new Error(`${entry.where}: an empty "value" needs "secretNames"`);
    if (!SEVERITIES.includes(severity)) throw new Error(`${entry.where}: unknown severity "${severity}"`);
    return {
      product: requiredText(entry, 'product'),
      rule: requiredText(entry, 'rule'),
      keys: keys as string[],
      anySecretKey,
      flags: flags as string[],
      value: fields.value,
      secretNames: secretNames as string[],
      severity: severity as Severity,
      grants: requiredText(entry, 'grants'),
      source: entry.source,
    };
  });
  return shipped;
}

/** The published credentials one rule reports. */
export function credentialsOfRule(rule: string): readonly PublishedCredential[] {
  return publishedCredentials().filter((credential) => credential.rule === rule);
}

/** `mysql-secret` and kustomize's `mysql-secret-5k2fh9bc7m` both count as `mysql-secret`. */
export function secretNameMatches(credential: PublishedCredential, name: string): boolean {
  return credential.secretNames.length === 0 || credential.secretNames.some((wanted) => name === wanted || new RegExp(`^${escapeRegExp(wanted)}-[a-z0-9]{10}$`).test(name));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
