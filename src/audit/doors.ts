import { asString } from '../core/object.js';
import { shippedList } from '../data/list-file.js';
import type { AuditEvent } from './event.js';

interface Door {
  readonly user: RegExp;
  readonly door: string;
}

let doors: readonly Door[] | undefined;
/** The shipped door of each user name seen: a log has few actors and many requests. */
const byUser = new Map<string, string | null>();
const MAX_REMEMBERED_USERS = 10_000;

function shippedDoors(): readonly Door[] {
  doors ??= shippedList('audit-doors').map((entry) => {
    const user = asString(entry.fields.user);
    const door = asString(entry.fields.door);
    if (!user || !door) throw new Error(`${entry.where}: needs "user" and "door"`);
    return { user: new RegExp(`^(?:${user})$`), door };
  });
  return doors;
}

/**
 * The way in an event's actor used: a platform's service account names its UI or API, an
 * unauthenticated request is named as such, and a human with kubectl is named by the client.
 */
export function doorOf(event: AuditEvent): string | undefined {
  if (event.groups.includes('system:unauthenticated') && event.user !== 'system:anonymous') return 'unauthenticated request straight to the Kubernetes API';
  let known = byUser.get(event.user);
  if (known === undefined) {
    known = shippedDoors().find((door) => door.user.test(event.user))?.door ?? null;
    if (byUser.size >= MAX_REMEMBERED_USERS) byUser.clear();
    byUser.set(event.user, known);
  }
  if (known !== null) return known;
  const agent = event.userAgent ?? '';
  if (/^kubectl\//.test(agent)) return 'kubectl';
  if (/^Go-http-client\/|^python-requests\/|^curl\//.test(agent)) return `a direct API client (${agent.split(' ')[0]})`;
  return undefined;
}
