import type { Indicators } from './indicators.js';

/**
 * Droppers: where a download comes from, and whether it is a well-known installer. A download from
 * a paste site, an anonymous file host, an IPFS gateway or an out-of-band callback host that is then
 * run is a dropper; `curl -LsSf https://astral.sh/uv/install.sh | sh` is how uv says to install it.
 */

export interface DropperHost {
  /** `paste site`, `anonymous file host`, `IPFS gateway`, `out-of-band callback host`. */
  readonly label: string;
  readonly host: string;
}

/** `https://user@Host.Example:8080/p?q` → `{ host: 'host.example', path: '/p' }`; undefined for a non-URL. */
export function urlParts(url: string): { host: string; path: string } | undefined {
  const match = /^[a-z][\w+.-]*:\/\/(?:[^@/\s?#]*@)?(\[[^\]]*\]|[^/:?#\s]+)(?::\d+)?([^?#\s]*)/i.exec(url.trim());
  if (!match) return undefined;
  return { host: (match[1] as string).toLowerCase().replace(/\.$/, ''), path: match[2] ?? '' };
}

/** The dropper list a URL's host (or a parent domain of it) is on. */
export function dropperHostOf(url: string, indicators: Indicators): DropperHost | undefined {
  const host = urlParts(url)?.host;
  if (host === undefined) return undefined;
  for (let domain = host; domain.includes('.'); domain = domain.slice(domain.indexOf('.') + 1)) {
    const label = indicators.dropperHosts.get(domain);
    if (label !== undefined) return { label, host };
  }
  return undefined;
}

/**
 * `.` or `..` segments (curl and browsers resolve them before sending, so
 * `/aquasecurity/trivy/main/contrib/install.sh/../../../../attacker/x/main/x.sh` is the attacker's
 * file), their percent-encoded forms, encoded slashes and backslashes: a path with any of them is
 * not the path it starts with.
 */
const PATH_TRICK = /(?:^|\/)\.{1,2}(?:\/|$)|%2e|%2f|%5c|\\/i;

/**
 * A URL of a well-known installer from its own project's domain. The host must be the entry's host
 * exactly (`get.docker.com.evil.example` never passes). An entry naming a file must be that path
 * exactly: on raw.githubusercontent.com the entry names owner, repository and branch, and a commit
 * hash in that place is refused, since GitHub serves a fork's commit under the parent repository's
 * raw path. An entry ending in `/` is a directory of the project's own (release downloads) and
 * takes any file under it.
 */
export function isTrustedInstaller(url: string, indicators: Indicators): boolean {
  const parts = urlParts(url);
  if (!parts || !/^https:\/\//i.test(url.trim()) || PATH_TRICK.test(parts.path)) return false;
  const path = parts.path.toLowerCase();
  return indicators.trustedInstallers.some((entry) => {
    const slash = entry.indexOf('/');
    if (slash === -1) return parts.host === entry;
    if (parts.host !== entry.slice(0, slash)) return false;
    const entryPath = entry.slice(slash);
    return entryPath.endsWith('/') ? path.startsWith(entryPath) && path.length > entryPath.length : path === entryPath;
  });
}

const URL_WORD = /^(?:https?|ftp):\/\/\S+$/i;

/** True when `words` (one downloader command) fetch only well-known installers, and at least one. */
export function fetchesOnlyTrustedInstallers(words: readonly string[], indicators: Indicators): boolean {
  const urls = words.filter((w) => URL_WORD.test(w));
  return urls.length > 0 && urls.every((u) => isTrustedInstaller(u, indicators));
}

const SCHEDULED_KINDS = new Set(['CronJob', 'CronWorkflow', 'ScheduledWorkflow']);

/** Kinds that run their workload on a schedule. */
export function isScheduledKind(kind: string): boolean {
  return SCHEDULED_KINDS.has(kind);
}

/** `crontab`, `/etc/cron.d/…`, `/var/spool/cron/…`: a script that schedules itself. */
export const CRON_TEXT = /(?:^|[\s;&|(`'"])(?:crontab\b|\/etc\/cron|\/var\/spool\/cron)/;
