import type { KindMatch } from '../core/rule.js';
import type { SourceKind } from '../core/types.js';

/** Workload rules look at every kind: `containersOf` decides structurally whether it runs containers. */
export const ANY_KIND: readonly KindMatch[] = [{ apiGroups: '*', kinds: '*' }];

/** Sources that carry full object specs; probes and audit events do not. */
export const SPEC_SOURCES: readonly SourceKind[] = ['manifest', 'cluster', 'admission'];

