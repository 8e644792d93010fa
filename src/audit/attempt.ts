import { fingerprintOf } from '../core/fingerprint.js';
import { lowerSeverity } from '../core/severity.js';
import type { Finding } from '../core/types.js';

/**
 * An object rule's finding on a write that did not succeed. A miner create the API server refused
 * is still evidence of an attacker: whoever sent it holds some access and tried, and may try
 * again through another door; a responder wants the actor. So it stays a finding, one severity
 * lower when the API server refused it (a 4xx or `forbid`: nothing was stored), at the rule's own
 * severity when the request failed otherwise (a 5xx may have stored the object), with a
 * fingerprint of its own so that it never merges with the finding on a create that went through.
 */
export function attemptFinding(finding: Finding, outcome: string, refused: boolean): Finding {
  return {
    ...finding,
    severity: refused ? lowerSeverity(finding.severity, 1, 'low') : finding.severity,
    message: refused ? `Attempt refused (${outcome}): ${finding.message}` : `Request failed (${outcome}), the object may be stored: ${finding.message}`,
    evidence: [
      ...finding.evidence,
      refused
        ? `the API server answered ${outcome}: nothing was created or changed, but the actor sent this object`
        : `the API server answered ${outcome}: the log does not say whether the object was stored`,
    ],
    fingerprint: fingerprintOf(finding.ruleId, finding.resource, finding.path, `attempt\u0000${finding.fingerprint}`),
  };
}
