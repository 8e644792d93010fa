import { shippedValues } from '../data/list-file.js';

let shipped: readonly string[] | undefined;
const withAdditions = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * Published default object-store secret keys (`data/lists/object-store-default-secret-keys.yaml`)
 * plus the ones a user appends. Compared, never printed.
 */
export function defaultSecretKeys(appended: readonly string[] = []): ReadonlySet<string> {
  shipped ??= shippedValues('object-store-default-secret-keys');
  let keys = withAdditions.get(appended);
  if (!keys) {
    keys = new Set([...shipped, ...appended.map((key) => key.trim())]);
    withAdditions.set(appended, keys);
  }
  return keys;
}
