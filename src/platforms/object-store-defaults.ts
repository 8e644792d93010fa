import { credentialsOfRule } from './default-credentials.js';

let shipped: readonly string[] | undefined;
const withAdditions = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * Published default object-store secret keys (the `object-store-default-credentials` entries of
 * `data/lists/default-credentials.yaml`) plus the ones a user appends. Compared, never printed.
 */
export function defaultSecretKeys(appended: readonly string[] = []): ReadonlySet<string> {
  shipped ??= credentialsOfRule('object-store-default-credentials').map((credential) => credential.value);
  let keys = withAdditions.get(appended);
  if (!keys) {
    keys = new Set([...shipped, ...appended.map((key) => key.trim())]);
    withAdditions.set(appended, keys);
  }
  return keys;
}
