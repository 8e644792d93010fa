import { createBudget, MAX_SEARCH_DEPTH } from '../core/budget.js';
import { fingerprintOf } from '../core/fingerprint.js';
import { refOf } from '../core/object.js';
import type { CoverageEntry, Finding } from '../core/types.js';
import { shippedValues } from '../data/list-file.js';
import { decodeEmbeddedText } from '../threat/decode.js';
import type { ApiObject } from './job-object.js';

export const RECON_CALLBACK_META = {
  id: 'job-recon-callback',
  title: 'Job calls an out-of-band interaction (OAST) host',
  severity: 'high',
  category: 'threat',
  description:
    'A job, run or pipeline whose command, runtime environment or metadata names an out-of-band interaction host (`oast.fun`, `interact.sh` and the others in `data/lists/oast-hosts.yaml`), as a subdomain or the domain itself.',
  rationale:
    'Attackers check that an exposed job API really runs their code before they send the miner: ShadowRay 2.0\'s first Ray job was a callback to an `oast.fun` host. A legitimate job has no reason to call one.',
  remediation: 'Treat the job API as compromised: find every job from the same submitter or time, stop them, and put authentication in front of the API (Ray: token auth; KFP and Argo: the dashboard\'s login).',
  references: ['https://attack.mitre.org/campaigns/C0045/', 'https://github.com/projectdiscovery/interactsh'],
  mitre: ['T1595', 'T1071.001'],
} as const;

let pattern: RegExp | undefined;

/**
 * The listed domains alone, at a label boundary and not followed by another label
 * (`ceye.io.example.com` is someone else's host). The subdomain labels in front are then read
 * backwards from each match: a pattern matching `(label.)*` first was quadratic on `a.a.a.…`
 * (80 KB took 4 s), and a job's author writes the entrypoint.
 */
function domainPattern(): RegExp {
  if (!pattern) {
    const domains = shippedValues('oast-hosts').map((d) => d.replace(/\./g, '\\.'));
    pattern = new RegExp(`(?<![a-z0-9-])(?:${domains.join('|')})(?![a-z0-9-]|\\.[a-z0-9])`, 'gi');
  }
  return pattern;
}

/** A DNS name is at most 253 characters: labels further left are not part of it. */
const MAX_HOST_CHARS = 253;
const LABEL_CHAR = /[a-z0-9-]/i;

/** Where the host ending with the domain found at `at` starts: back over `label.` pairs, bounded. */
function hostStart(text: string, at: number): number {
  let start = at;
  for (let i = at - 1; i >= 0 && at - i <= MAX_HOST_CHARS; i--) {
    const c = text[i] as string;
    if (c === '.') {
      if (i === 0 || !LABEL_CHAR.test(text[i - 1] as string)) break;
      continue;
    }
    if (!LABEL_CHAR.test(c)) break;
    start = i;
  }
  return start;
}

/** The OAST hosts an object names anywhere in its fields (commands, env, runtime env, metadata). */
export function reconHostsIn(text: string): string[] {
  const hosts = new Set<string>();
  for (const match of text.matchAll(domainPattern())) {
    hosts.add(text.slice(hostStart(text, match.index), match.index + match[0].length).toLowerCase());
    if (hosts.size >= 10) break;
  }
  return [...hosts];
}

/** Layers the threat scanner follows too: an author can always add one more. */
const MAX_LAYERS = 8;

/**
 * Quotes joined by nothing or by a concatenation operator (`'x.'+'oast'+'.fun'`, shell's
 * `"x."'oast'".fun"`, `".".join([…])`, Lua `..`, SQL `||`) read as one string. One `\s*` before an
 * optional operator and one after it, so a failed match gives back each space once.
 */
const QUOTE_JOINT = /(['"`])\s*(?:(?:[+,]|\.\.|\|\|)\s*)?(['"`])/g;

interface ReconReading {
  readonly hosts: readonly { readonly host: string; readonly via: string }[];
  /** Why the reading stopped early, when it did. */
  readonly cutShort?: string;
}

/**
 * Every OAST host an object names: in its text as written, with quoted pieces joined, and in the
 * base64, hex and compressed layers the threat scanner decodes (ShadowRay's callbacks were plain,
 * but a second try need not be). Decoding draws from one object's byte budget.
 */
export function reconHostsOf(object: unknown): ReconReading {
  const budget = createBudget();
  const found = new Map<string, string>();
  const note = (text: string, via: string): void => {
    for (const host of [...reconHostsIn(text), ...reconHostsIn(text.replace(QUOTE_JOINT, ''))]) if (!found.has(host)) found.set(host, via);
  };
  note(JSON.stringify(object), '');
  let cutShort: string | undefined;
  const queue: { text: string; via: string; depth: number }[] = stringsOf(object, (reason) => (cutShort ??= reason)).map((text) => ({ text, via: '', depth: 0 }));
  // An index, not shift(): an object can hold a hundred thousand strings.
  for (let at = 0; at < queue.length; at++) {
    const next = queue[at] as (typeof queue)[number];
    note(next.text, next.via);
    if (next.depth >= MAX_LAYERS) {
      cutShort ??= `encoded text nested deeper than ${MAX_LAYERS} layers was not decoded`;
      continue;
    }
    const { decoded, stops } = decodeEmbeddedText(next.text, budget);
    if (stops.includes('bytes')) cutShort ??= `decoding stopped after ${Math.round(budget.limits.bytes / (1024 * 1024))} MB of decoded text`;
    for (const layer of decoded) queue.push({ text: layer.text, via: next.via ? `${next.via} → ${layer.encoding}` : layer.encoding, depth: next.depth + 1 });
  }
  return { hosts: [...found].slice(0, 10).map(([host, via]) => ({ host, via })), ...(cutShort ? { cutShort } : {}) };
}

/** Every string value in an object, at most MAX_SEARCH_DEPTH levels down (the readers' own limit). */
function stringsOf(root: unknown, cut: (reason: string) => void): string[] {
  const out: string[] = [];
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, depth } = item;
    if (typeof value === 'string') out.push(value);
    else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_SEARCH_DEPTH) {
        cut(`values nested deeper than ${MAX_SEARCH_DEPTH} levels were not decoded`);
        continue;
      }
      for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return out;
}

export interface ReconResult {
  readonly findings: Finding[];
  /** Objects whose reading was cut short: not evaluated in full, and why. */
  readonly coverage: CoverageEntry[];
}

export function reconCallbackFindings(objects: readonly ApiObject[]): ReconResult {
  const findings: Finding[] = [];
  const coverage: CoverageEntry[] = [];
  for (const { object, origin } of objects) {
    const reading = reconHostsOf(object);
    const resource = refOf(object);
    if (reading.cutShort) coverage.push({ ruleId: RECON_CALLBACK_META.id, source: 'api', resource, reason: reading.cutShort });
    if (reading.hosts.length === 0) continue;
    const hosts = reading.hosts.map((h) => h.host);
    findings.push({
      ruleId: RECON_CALLBACK_META.id,
      severity: RECON_CALLBACK_META.severity,
      category: RECON_CALLBACK_META.category,
      title: RECON_CALLBACK_META.title,
      message: `${origin.api} ${origin.id ?? resource.name} contacts out-of-band host ${hosts.join(', ')}`,
      resource,
      evidence: reading.hosts.map(({ host, via }) => `OAST host ${host}${via ? ` (in a ${via} layer)` : ''}`),
      mitre: RECON_CALLBACK_META.mitre,
      remediation: RECON_CALLBACK_META.remediation,
      source: 'api',
      origin,
      fingerprint: fingerprintOf(RECON_CALLBACK_META.id, resource, undefined, origin.id),
    });
  }
  return { findings, coverage };
}
