import { describeRef } from '../core/object.js';
import { fingerprintOf } from '../core/fingerprint.js';
import type { RuleMeta } from '../core/rule.js';
import type { Severity } from '../core/severity.js';
import { reportedOriginOf, type Finding, type ResourceRef, type ScannedObject } from '../core/types.js';
import { displayUrl } from './excerpt.js';
import type { ProductFingerprint } from './fingerprints.js';
import { isProbeResult } from './probe-source.js';
import type { FingerprintHit, TargetResult } from './types.js';

/** What a finding about a bare URL names as its resource, when no scanned object opened the door. */
export function probeTargetRef(url: string): ResourceRef {
  return { apiVersion: 'probe.kfguard.io/v1alpha1', kind: 'ProbeTarget', name: displayUrl(url) };
}

/**
 * Probe results → findings under the ids the manifest rules use for the same door. The rules judge
 * object specs, which a probe never sees; which rule an open product proves is data
 * (`ruleId` in `data/probe/fingerprints.yaml`), and the finding takes that rule's metadata.
 */
export function probeFindings(objects: readonly ScannedObject[], rules: readonly RuleMeta[], fingerprints: readonly ProductFingerprint[]): Finding[] {
  const metaById = new Map(rules.map((meta) => [meta.id, meta]));
  const severityByProduct = new Map(fingerprints.map((product) => [product.id, product.severity]));
  const findings: Finding[] = [];
  for (const scanned of objects) {
    if (!isProbeResult(scanned.object)) continue;
    const result = scanned.object.status;
    const open = result.hits.filter((hit) => hit.kind === 'open');
    for (const [productId, hits] of groupBy(open, (hit) => hit.productId)) {
      const first = hits[0] as FingerprintHit;
      const proven = [{ ruleId: first.ruleId, severity: severityByProduct.get(productId) }, ...[...new Set(hits.flatMap((hit) => (hit.alsoRuleId ? [hit.alsoRuleId] : [])))].map((ruleId) => ({ ruleId, severity: undefined }))];
      for (const { ruleId, severity } of proven) {
        const meta = metaById.get(ruleId);
        if (!meta) continue;
        findings.push(findingOf(meta, severity ?? meta.severity, result, productId, hits, scanned));
      }
    }
  }
  return findings;
}

function findingOf(meta: RuleMeta, severity: Severity, result: TargetResult, productId: string, hits: readonly FingerprintHit[], scanned: ScannedObject): Finding {
  const first = hits[0] as FingerprintHit;
  const resource = result.openedBy?.resource ?? probeTargetRef(result.url);
  const where = displayUrl(result.url);
  const evidence = [
    ...hits.slice(0, 3).flatMap((hit) => [
      `${hit.chain} · fingerprint ${hit.productId} ${hit.path} (${hit.source})`,
      ...(hit.shown.length > 0 ? [`fields: ${hit.shown.map((s) => `${s.field}=${s.value}`).join(', ')}`] : []),
      `excerpt: ${hit.excerpt}`,
    ]),
    ...(hits.length > 3 ? [`… and ${hits.length - 3} more open endpoint(s) of ${first.productName}`] : []),
    ...[...new Set(hits.flatMap((hit) => (hit.note ? [hit.note] : [])))],
    ...(result.openedBy ? [`door opened by ${describeRef(result.openedBy.resource)} (${result.openedBy.how}), reported by ${result.openedBy.ruleId}${result.openedBy.location ? ` at ${result.openedBy.location.file}:${result.openedBy.location.line}` : ''}`] : []),
  ];
  return {
    ruleId: meta.id,
    severity,
    category: meta.category,
    title: meta.title,
    message: `${first.productName} at ${where} answers ${hits.map((h) => h.path).slice(0, 3).join(', ')} with data and no credentials`,
    resource,
    ...(result.openedBy?.location ? { location: result.openedBy.location } : {}),
    evidence,
    mitre: meta.mitre,
    remediation: meta.remediation,
    source: 'probe',
    origin: reportedOriginOf(scanned.origin),
    fingerprint: fingerprintOf(meta.id, resource, undefined, `probe ${productId} ${where}`),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
