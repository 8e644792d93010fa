import type { RuleMeta } from './rule.js';
import type { SourceKind } from './types.js';

/** What each kind of source can supply to a rule. */
export interface SourceCapabilities {
  /** Full object specs (probes see only HTTP answers). */
  readonly specs: boolean;
  /** The other objects of the cluster or scanned set, for rules that join objects. */
  readonly snapshot: boolean;
  /** Who made the request and how (user, groups, operation). */
  readonly request: boolean;
  /** How reports name it. */
  readonly label: string;
}

export const SOURCE_CAPABILITIES: Readonly<Record<SourceKind, SourceCapabilities>> = {
  manifest: { specs: true, snapshot: true, request: false, label: 'manifests' },
  cluster: { specs: true, snapshot: true, request: false, label: 'the live cluster' },
  admission: { specs: true, snapshot: true, request: true, label: 'admission requests' },
  audit: { specs: true, snapshot: false, request: true, label: 'audit events' },
  api: { specs: true, snapshot: false, request: false, label: 'job API records' },
  probe: { specs: false, snapshot: false, request: false, label: 'probe results' },
};

/** Why a rule cannot judge what a source gives, in words a reader of the report understands. */
export function coverageReason(meta: RuleMeta, source: SourceKind): string {
  const capabilities = SOURCE_CAPABILITIES[source];
  const what = capabilities.label;
  if (!capabilities.specs) return `not evaluated: ${what} carry no object specs`;
  if (meta.needs.snapshot !== 'none' && !capabilities.snapshot) {
    const reads = meta.needs.reads === '*' ? 'other objects' : meta.needs.reads.join(', ');
    return `not evaluated: ${what} carry single objects, and this rule's verdict depends on the rest of the cluster (${reads})`;
  }
  if (meta.needs.request && !capabilities.request) return `not evaluated: ${what} do not say who asked or how`;
  return `not evaluated: the rule does not judge ${what}`;
}
