import { credentialsOfRule } from './default-credentials.js';

let shipped: readonly string[] | undefined;
const withAdditions = new WeakMap<readonly string[], ReadonlySet<string>>();
/**
 * The default when no keys are appended: one list, so the set made for it is found again (a `[]`
 * default was a new key per call, and the rule built the set anew for every object it judged).
 */
const NONE_APPENDED: readonly string[] = Object.freeze([]);

/**
 * Published default object-store secret keys (the `object-store-default-credentials` entries of
 * `data/lists/default-credentials.yaml`) plus the ones a user appends. Compared, never printed.
 */
export function defaultSecretKeys(appended: readonly string[] = NONE_APPENDED): ReadonlySet<string> {
  shipped ??= credentialsOfRule('object-store-default-credentials').map((credential) => credential.value);
  let keys = withAdditions.get(appended);
  if (!keys) {
    keys = new Set([...shipped, ...appended.map((key) => key.trim())]);
    withAdditions.set(appended, keys);
  }
  return keys;
}
