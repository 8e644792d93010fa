import type { WebhookExemption } from '../config/webhook-schema.js';
import type { AdmissionRequest } from './review.js';

/**
 * The server's own exemptions (config file only). Every field an entry gives must match; an entry
 * with `rules` exempts only those rules, one without exempts the request entirely.
 */
export function exemptionsFor(request: AdmissionRequest, exemptions: readonly WebhookExemption[]): WebhookExemption[] {
  const name = request.object?.metadata?.name ?? request.name;
  const namespace = request.object?.metadata?.namespace ?? request.namespace;
  return exemptions.filter(
    (e) =>
      within(e.namespaces, namespace) &&
      within(e.users, request.user) &&
      (e.groups === undefined || request.groups.some((g) => e.groups?.includes(g))) &&
      within(e.names, name) &&
      within(e.kinds, request.kind.kind),
  );
}

const within = (list: readonly string[] | undefined, value: string | undefined): boolean => list === undefined || (value !== undefined && list.includes(value));
