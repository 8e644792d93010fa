import { fingerprintOf } from '../core/fingerprint.js';
import { refOf } from '../core/object.js';
import type { Finding } from '../core/types.js';
import { shippedValues } from '../data/list-file.js';
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

function oastPattern(): RegExp {
  if (!pattern) {
    const domains = shippedValues('oast-hosts').map((d) => d.replace(/\./g, '\\.'));
    // Not followed by another label either: `ceye.io.example.com` is someone else's host.
    pattern = new RegExp(`(?<![a-z0-9-])(?:[a-z0-9-]+\\.)*(?:${domains.join('|')})(?![a-z0-9-]|\\.[a-z0-9])`, 'gi');
  }
  return pattern;
}

/** The OAST hosts an object names anywhere in its fields (commands, env, runtime env, metadata). */
export function reconHostsIn(text: string): string[] {
  return [...new Set([...text.matchAll(oastPattern())].map((m) => m[0].toLowerCase()))].slice(0, 10);
}

export function reconCallbackFindings(objects: readonly ApiObject[]): Finding[] {
  const findings: Finding[] = [];
  for (const { object, origin } of objects) {
    const hosts = reconHostsIn(JSON.stringify(object));
    if (hosts.length === 0) continue;
    const resource = refOf(object);
    findings.push({
      ruleId: RECON_CALLBACK_META.id,
      severity: RECON_CALLBACK_META.severity,
      category: RECON_CALLBACK_META.category,
      title: RECON_CALLBACK_META.title,
      message: `${origin.api} ${origin.id ?? resource.name} contacts out-of-band host ${hosts.join(', ')}`,
      resource,
      evidence: hosts.map((host) => `OAST host ${host}`),
      mitre: RECON_CALLBACK_META.mitre,
      remediation: RECON_CALLBACK_META.remediation,
      source: 'api',
      origin,
      fingerprint: fingerprintOf(RECON_CALLBACK_META.id, resource, undefined, origin.id),
    });
  }
  return findings;
}
