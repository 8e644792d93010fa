import type { InternalLoadBalancerAnnotation } from '../core/config-types.js';
import { requiredText, shippedList } from '../data/list-file.js';

let shipped: readonly InternalLoadBalancerAnnotation[] | undefined;
const withAdditions = new WeakMap<readonly InternalLoadBalancerAnnotation[], readonly InternalLoadBalancerAnnotation[]>();

/**
 * Annotations that keep a cloud load balancer off the internet
 * (`data/lists/internal-load-balancer-annotations.yaml`), plus those a user appends under
 * `lists.internal-load-balancer-annotations`. Values are lower-case.
 */
export function internalLoadBalancerAnnotations(appended: readonly InternalLoadBalancerAnnotation[] = []): readonly InternalLoadBalancerAnnotation[] {
  shipped ??= shippedList('internal-load-balancer-annotations').map((entry) => {
    const values = entry.fields.values;
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) throw new Error(`${entry.where}: "values" must be a non-empty list of strings`);
    return { key: requiredText(entry, 'key'), values: values.map((v: string) => v.toLowerCase()), cloud: requiredText(entry, 'cloud') };
  });
  if (appended.length === 0) return shipped;
  let all = withAdditions.get(appended);
  if (!all) {
    all = [...shipped, ...appended.map((a) => ({ ...a, values: a.values.map((v) => v.toLowerCase()) }))];
    withAdditions.set(appended, all);
  }
  return all;
}
