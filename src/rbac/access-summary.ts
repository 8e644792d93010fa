import type { Inventory } from '../core/inventory.js';
import { accessGraphOf } from './access-graph.js';
import { creatablePodMakers } from './pod-makers.js';
import { describeSubject, isAllAuthenticated, isKubernetesSystemSubject, isUnauthenticated, type Subject } from './subjects.js';

/** Who can run code where: one line per subject of the RBAC access graph. */
export interface AccessSummaryEntry {
  /** `User alice`, `Group system:authenticated`, `ServiceAccount team-a/default-editor`. */
  readonly subject: string;
  readonly subjectKind?: 'User' | 'Group' | 'ServiceAccount';
  /** Who stands behind the subject; the summary is sorted on it, riskiest first. */
  readonly exposure?: 'anonymous' | 'any-authenticated' | 'person' | 'service-account' | 'system';
  /** Namespaces where it can create pod-making resources; `*` means cluster-wide. */
  readonly namespaces: readonly string[];
  readonly via: readonly string[];
  readonly canCreate: readonly string[];
}

type Exposure = NonNullable<AccessSummaryEntry['exposure']>;

interface Accumulator {
  readonly subject: Subject;
  readonly namespaces: Set<string>;
  readonly via: Set<string>;
  readonly canCreate: Set<string>;
}

/**
 * Who can run code where: every subject that can create a pod-making resource. Sorted by who
 * stands behind it (anonymous first), then by how many kinds of workload it can start.
 * Undefined when the scan holds no bindings, so there is nothing to say either way.
 */
export function accessSummaryOf(inventory: Inventory): AccessSummaryEntry[] | undefined {
  const { grants } = accessGraphOf(inventory);
  if (grants.length === 0) return undefined;
  const bySubject = new Map<string, Accumulator>();
  for (const grant of grants) {
    const creatable = grant.role ? creatablePodMakers(grant.role.rules) : [];
    if (creatable.length === 0) continue;
    const key = describeSubject(grant.subject);
    let entry = bySubject.get(key);
    if (!entry) {
      entry = { subject: grant.subject, namespaces: new Set(), via: new Set(), canCreate: new Set() };
      bySubject.set(key, entry);
    }
    entry.namespaces.add(grant.namespace);
    entry.via.add(grant.via);
    for (const resource of creatable) entry.canCreate.add(resource);
  }
  return [...bySubject.entries()]
    .map(([subject, entry]) => ({ entry, subject }))
    .sort(
      (a, b) =>
        RANK[exposureOf(a.entry.subject)] - RANK[exposureOf(b.entry.subject)] ||
        b.entry.canCreate.size - a.entry.canCreate.size ||
        Number(b.entry.namespaces.has('*')) - Number(a.entry.namespaces.has('*')) ||
        a.subject.localeCompare(b.subject),
    )
    .map(({ entry, subject }) => toEntry(subject, entry));
}

function toEntry(subject: string, entry: Accumulator): AccessSummaryEntry {
  const namespaces = entry.namespaces.has('*') ? ['*'] : [...entry.namespaces].sort();
  return {
    subject,
    subjectKind: entry.subject.kind,
    exposure: exposureOf(entry.subject),
    namespaces,
    via: [...entry.via].sort(),
    canCreate: [...entry.canCreate],
  };
}

function exposureOf(subject: Subject): Exposure {
  if (isUnauthenticated(subject)) return 'anonymous';
  if (isAllAuthenticated(subject)) return 'any-authenticated';
  if (isKubernetesSystemSubject(subject)) return 'system';
  return subject.kind === 'ServiceAccount' ? 'service-account' : 'person';
}

const RANK: Readonly<Record<Exposure, number>> = {
  anonymous: 0,
  'any-authenticated': 1,
  person: 2,
  'service-account': 3,
  system: 4,
};
