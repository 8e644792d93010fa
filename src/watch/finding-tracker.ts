import { flatKey } from '../core/flat-key.js';
import { apiGroupOf } from '../core/object.js';
import type { Finding, ResourceRef } from '../core/types.js';
import { sameFinding } from './same-finding.js';

/** A finding that appeared, changed (severity, message, evidence or suppression) or went away. */
export interface FindingChange {
  readonly state: 'open' | 'changed' | 'resolved' | 'folded';
  readonly finding: Finding;
  /** For `folded`: the owner (a Deployment for its Pods) whose open finding now stands for this one. */
  readonly into?: ResourceRef;
}

/** A resource by group (not version: the server may answer in another), kind, namespace and name. */
export const resourceKeyOf = (ref: ResourceRef): string => flatKey(`${apiGroupOf(ref.apiVersion)}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`);

/** What a reader of the stream sees change: a finding restated with the same content is no news. */
function sameContent(a: Finding, b: Finding): boolean {
  return (
    a.severity === b.severity &&
    a.message === b.message &&
    a.evidence.join('\u0000') === b.evidence.join('\u0000') &&
    (a.suppression?.kind ?? '') === (b.suppression?.kind ?? '') &&
    (a.suppression?.reason ?? '') === (b.suppression?.reason ?? '')
  );
}

/**
 * The findings open now, keyed by fingerprint and grouped by resource, so each evaluation reports
 * only the difference: a finding restated is not repeated, one that stops appearing is resolved.
 */
export class FindingTracker {
  private readonly open = new Map<string, Finding>();
  private readonly byResource = new Map<string, Set<string>>();

  get size(): number {
    return this.open.size;
  }

  get findings(): readonly Finding[] {
    return [...this.open.values()];
  }

  /** Open findings on one resource. */
  on(resourceKey: string): Finding[] {
    return [...(this.byResource.get(resourceKey) ?? [])].map((fingerprint) => this.open.get(fingerprint)!);
  }

  /**
   * Every finding on this resource is now `findings` (a re-judged object); those in `folded` went
   * into an owner's finding rather than away.
   */
  replaceResource(ref: ResourceRef, findings: readonly Finding[], folded: ReadonlyMap<string, ResourceRef> = new Map()): FindingChange[] {
    const key = resourceKeyOf(ref);
    const changes: FindingChange[] = [];
    const next = new Set<string>();
    for (const finding of findings) {
      next.add(finding.fingerprint);
      const change = this.put(finding);
      if (change) changes.push(change);
    }
    for (const fingerprint of [...(this.byResource.get(key) ?? [])]) if (!next.has(fingerprint)) changes.push(this.resolve(fingerprint, folded.get(fingerprint)));
    return changes;
  }

  /**
   * The findings of `ruleIds` on this resource are now `findings` (an object judged again with the
   * rules that read a change elsewhere); its findings of other rules stand.
   */
  replaceResourceRules(ref: ResourceRef, ruleIds: ReadonlySet<string>, findings: readonly Finding[], folded: ReadonlyMap<string, ResourceRef> = new Map()): FindingChange[] {
    const changes: FindingChange[] = [];
    const next = new Set<string>();
    for (const finding of findings) {
      next.add(finding.fingerprint);
      const change = this.put(finding);
      if (change) changes.push(change);
    }
    for (const fingerprint of [...(this.byResource.get(resourceKeyOf(ref)) ?? [])]) {
      if (!next.has(fingerprint) && ruleIds.has(this.open.get(fingerprint)!.ruleId)) changes.push(this.resolve(fingerprint, folded.get(fingerprint)));
    }
    return changes;
  }

  /** Findings added on top of what is open (cross-object findings a change introduced). */
  add(findings: readonly Finding[]): FindingChange[] {
    return findings.map((f) => this.put(f)).filter((c): c is FindingChange => c !== undefined);
  }

  /** The resource is gone: its findings are resolved. */
  removeResource(ref: ResourceRef): FindingChange[] {
    return [...(this.byResource.get(resourceKeyOf(ref)) ?? [])].map((fingerprint) => this.resolve(fingerprint));
  }

  /** A full evaluation: `findings` is everything open now. */
  replaceAll(findings: readonly Finding[], folded: ReadonlyMap<string, ResourceRef> = new Map()): FindingChange[] {
    const changes: FindingChange[] = [];
    const next = new Set<string>();
    for (const finding of findings) {
      next.add(finding.fingerprint);
      const change = this.put(finding);
      if (change) changes.push(change);
    }
    for (const fingerprint of [...this.open.keys()]) if (!next.has(fingerprint)) changes.push(this.resolve(fingerprint, folded.get(fingerprint)));
    return changes;
  }

  /**
   * The open finding that `finding` restates exactly (`sameFinding`), else `finding` itself: a full
   * evaluation holds its findings for seconds while it runs in slices, long enough to be promoted
   * to the old generation, so it swaps in the held ones as it goes and its own die young.
   */
  restated(finding: Finding): Finding {
    const held = this.open.get(finding.fingerprint);
    return held && held !== finding && sameFinding(held, finding) ? held : finding;
  }

  private put(finding: Finding): FindingChange | undefined {
    const previous = this.open.get(finding.fingerprint);
    // Restated exactly: the held object stays (see `sameFinding`), the new one is dropped.
    if (previous && (previous === finding || sameFinding(previous, finding))) return undefined;
    this.open.set(finding.fingerprint, finding);
    if (!previous) {
      const key = resourceKeyOf(finding.resource);
      const set = this.byResource.get(key);
      if (set) set.add(finding.fingerprint);
      else this.byResource.set(key, new Set([finding.fingerprint]));
      return { state: 'open', finding };
    }
    return sameContent(previous, finding) ? undefined : { state: 'changed', finding };
  }

  private resolve(fingerprint: string, into?: ResourceRef): FindingChange {
    const finding = this.open.get(fingerprint)!;
    this.open.delete(fingerprint);
    const key = resourceKeyOf(finding.resource);
    const set = this.byResource.get(key);
    set?.delete(fingerprint);
    if (set?.size === 0) this.byResource.delete(key);
    return into ? { state: 'folded', finding, into } : { state: 'resolved', finding };
  }
}
