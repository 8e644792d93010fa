import type { Violation } from '../core/rule.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { SHOWN_ROUTES, shownWithRest } from './shown.js';
import type { Exposure, ReachLevel, TargetFamily } from './types.js';

const WHERE: Readonly<Record<ReachLevel, string>> = {
  anywhere: 'anywhere on the internet',
  broad: 'broad public source ranges',
  nodes: 'any host that can reach a node address',
  unseen: 'wherever its Gateway listens (the Gateway is not in the scanned files)',
  internal: 'the internal network',
  narrow: 'a few allowed source ranges',
};

const OPEN: ReadonlySet<ReachLevel> = new Set(['broad', 'nodes']);

/** The Kubeflow ladder: see the description of kubeflow-dashboard-exposed. */
export function kubeflowSeverity(exposure: Exposure): Severity | undefined {
  const { level } = exposure.reach;
  switch (exposure.auth.state) {
    case 'present':
      return level === 'anywhere' ? 'low' : OPEN.has(level) ? 'info' : undefined;
    // A NodePort opens the port on every node address, and a firewall in front of the nodes is no
    // more visible in manifests than one in front of a load balancer: unauthenticated, it is critical.
    case 'absent':
      return level === 'anywhere' || level === 'nodes' ? 'critical' : level === 'broad' ? 'high' : 'medium';
    case 'unknown':
      return level === 'anywhere' && !exposure.viaGateway ? 'high' : 'medium';
  }
}

/** Databases, object stores, Argo and the like carry their own (often default) credentials, so reach decides. */
export function sensitiveServiceSeverity(exposure: Exposure): Severity | undefined {
  const { level } = exposure.reach;
  if (exposure.auth.state === 'present') return level === 'anywhere' ? 'low' : undefined;
  return level === 'anywhere' ? 'high' : OPEN.has(level) ? 'medium' : 'low';
}

function messageOf(exposure: Exposure, label: string): string {
  const where = WHERE[exposure.reach.level];
  const subject = `${label} (Service ${exposure.backend.name})`;
  const reached = `${subject} is reachable from ${where} through ${exposure.reach.how}`;
  // Databases and the like carry their own credentials, so only Kubeflow targets get an authentication verdict.
  if (exposure.target?.family !== 'kubeflow') {
    return exposure.auth.state === 'present' ? `${reached}; the entry authenticates requests` : reached;
  }
  switch (exposure.auth.state) {
    case 'absent':
      return `${reached} and nothing authenticates the request`;
    case 'unknown':
      return `${reached}; the scanned files cannot show whether anything authenticates it`;
    case 'present':
      return `${reached}; requests are authenticated, but the login surface faces outside`;
  }
}

/**
 * Turns exposures of one target family into violations, one per target behind each entry field.
 * Authenticated exposures behind one entry field collapse into one violation: the login page is
 * the single thing they show the world.
 */
export function violationsFor(
  exposures: readonly Exposure[],
  family: TargetFamily,
  severityOf: (exposure: Exposure) => Severity | undefined,
): Violation[] {
  const violations: Violation[] = [];
  const authenticatedByPath = new Map<string, Exposure[]>();
  for (const exposure of exposures) {
    const raw = severityOf(exposure);
    if (exposure.target?.family !== family || raw === undefined) continue;
    const severity = withinCeiling(exposure, raw);
    if (exposure.auth.state === 'present') {
      const group = authenticatedByPath.get(exposure.path) ?? [];
      group.push(exposure);
      authenticatedByPath.set(exposure.path, group);
    } else {
      violations.push(toViolation(exposure, exposure.target.label, severity, []));
    }
  }
  for (const [first, ...others] of authenticatedByPath.values()) {
    const raw = first && severityOf(first);
    if (!first?.target || !raw) continue;
    const severity = withinCeiling(first, raw);
    const names = shownWithRest(others.map((e) => e.target?.label ?? e.backend.name), SHOWN_ROUTES, 'targets');
    const also = others.length > 0 ? [`also behind this entry: ${names.join(', ')}`] : [];
    violations.push(toViolation(first, first.target.label, severity, also));
  }
  return violations;
}

/** The severity, lowered to the target's ceiling when it has one (Dex is a login page, the model catalog read-mostly). */
export function withinCeiling(exposure: Exposure, severity: Severity): Severity {
  const ceiling = exposure.target?.ceiling;
  if (!ceiling) return severity;
  return SEVERITIES.indexOf(severity) < SEVERITIES.indexOf(ceiling) ? ceiling : severity;
}

function toViolation(exposure: Exposure, label: string, severity: Severity, extraEvidence: readonly string[]): Violation {
  const backend = `${exposure.backend.namespace ?? ''}/${exposure.backend.name}`;
  return {
    message: messageOf(exposure, label),
    path: exposure.path,
    severity,
    evidence: [
      exposure.route,
      ...exposure.routeNotes,
      ...exposure.auth.notes,
      ...exposure.reach.caveats,
      ...(exposure.target?.ceiling && severity === exposure.target.ceiling ? [`at most ${severity}: ${exposure.target.ceilingReason ?? ''}`] : []),
      ...extraEvidence,
    ],
    attackPath: exposure.hops,
    discriminator: exposure.auth.state === 'present' ? 'authenticated' : `${label}|${backend}`,
  };
}
