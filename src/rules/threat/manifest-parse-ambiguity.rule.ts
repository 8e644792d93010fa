import { defineRule, NO_VIOLATIONS, type RuleContext, type Violation } from '../../core/rule.js';
import type { FileOrigin, K8sObject } from '../../core/types.js';
import { isUnreadDocument, UNREAD_DOCUMENT_KIND } from '../../core/unread-document.js';
import { indicatorsFor } from '../../threat/indicators.js';
import { minerOptionsOf } from '../../threat/miner-options.js';
import { createScanState } from '../../threat/scan-queue.js';
import { describeSignal, labelOf, scoreSignals } from '../../threat/signals.js';
import { scanRaw } from '../../threat/text-scan.js';
import { scanWorkload } from '../../threat/workload-scan.js';
import { OBJECT_ONLY } from '../rule-defaults.js';

const MAX_EVIDENCE_LINES = 12;

/**
 * The manifest reader notes every document that Kubernetes and YAML 1.2 readers see differently
 * (sources/yaml-documents.ts). kfguard judges Kubernetes' reading; this rule makes the other
 * reading visible, since it is how a reviewer, a linter or another scanner saw the file.
 */
export default defineRule({
  meta: {
    id: 'manifest-parse-ambiguity',
    title: 'Manifest reads differently in Kubernetes than in YAML 1.2 tools',
    severity: 'high',
    category: 'threat',
    description:
      'A manifest document that Kubernetes (`kubectl apply`, the API server: sigs.k8s.io/yaml over go-yaml v2) reads differently from YAML 1.2 readers (editors, linters, js-yaml, PyYAML in 1.2 mode, most scanners), or that kfguard cannot be sure it reads as Kubernetes does: a later `<<` merge key overriding an explicit key, a `---#` or `---`+non-breaking-space separator, U+2028/U+2029/U+0085 line breaks inside a "comment", YAML 1.1 scalars (`yes`, `on`, `0777`), duplicate keys, tags YAML 1.2 tools refuse, content kubectl never reads. The evidence says what each reader sees, for every place the readings differ. kfguard judges the object as Kubernetes reads it. Severity follows the worst difference: high for the tricks above and for any field that may decide what runs (command, args, image, env, ports, Service type, selector, security settings, fields of unknown kinds); medium for a label or an annotation that controllers act on (sidecar injection, AppArmor, seccomp, policy); low for a file mode (`mode`, `defaultMode`) Kubernetes reads in octal as its author meant, an annotation nothing acts on, or a key written twice with the same value. More differences than can be compared count as high.',
    rationale:
      'Reviewers and scanners read YAML as YAML 1.2; the cluster reads it as YAML 1.1 with go-yaml\'s quirks. Every difference is a place where a manifest can look harmless in review and run something else, which is how a one-line trick hides `xmrig` behind `command: [sleep]`. Honest manifests almost never contain these constructs.',
    remediation:
      'Rewrite the document so that every reader agrees: quote YAML 1.1 words and numbers with a leading zero (`"yes"`, `"0644"` or `0o644`), drop duplicate keys and merge keys, use plain `---` separators and ordinary line breaks, and remove custom tags. Then review what the workload really runs.',
    references: [
      'https://github.com/kubernetes/apimachinery/blob/master/pkg/util/yaml/decoder.go',
      'https://github.com/kubernetes-sigs/yaml',
      'https://yaml.org/type/merge.html',
      'https://yaml.org/spec/1.2.2/#chapter-1-introduction-to-yaml',
    ],
    mitre: ['T1027', 'T1610'],
    match: [{ apiGroups: '*', kinds: '*' }],
    sources: ['manifest'],
    needs: OBJECT_ONLY,
  },
  check(object, ctx): Iterable<Violation> {
    // Only files are read by a YAML reader: every cluster object returns here.
    return ctx.origin.kind === 'file' ? readingDifferences(object, ctx, ctx.origin) : NO_VIOLATIONS;
  },
});

function* readingDifferences(object: K8sObject, ctx: RuleContext, origin: FileOrigin): Iterable<Violation> {
  if (object.kind === UNREAD_DOCUMENT_KIND) {
    yield* searchRefusedText(object, ctx);
    return;
  }
  const notes = origin.readingNotes;
  if (!notes || notes.length === 0) return;
  // Graded by the worst difference (sources/reading-diff.ts): an octal file mode or a key
  // written twice with one value is low; anything that may be a command, image or selector high.
  const stakes = origin.readingStakes ?? 'high';
  yield {
    message: `This document reads differently in Kubernetes than in YAML 1.2 tools (${notes.length} difference${notes.length === 1 ? '' : 's'}); kfguard judged it as Kubernetes reads it.`,
    severity: stakes,
    evidence: notes,
  };
}

/**
 * A document kfguard refused still reaches the rules as its raw text (core/unread-document.ts).
 * The threat scanner's text reading searches it, and the workload search runs on what a parser's
 * error recovery salvaged from it (env expansion, ConfigMaps, scripts: what a parsed document
 * gets), within the scan budget; indicators found are reported with the refusal beside them, at
 * the severity the miner signals earn, never below high.
 */
function* searchRefusedText(object: K8sObject, ctx: RuleContext): Generator<Violation> {
  if (!isUnreadDocument(object)) return;
  const state = createScanState(indicatorsFor(minerOptionsOf(ctx.config)), ctx.budget);
  scanRaw(object.text, { where: 'raw text of the refused document', path: 'text' }, '', state);
  const salvagedScans = salvagedWorkloads(object.salvaged ?? []).map((workload) => scanWorkload(workload, ctx));
  const verdict = scoreSignals([...state.signals, ...salvagedScans.flatMap((scan) => scan.signals)]);
  if (!verdict) return;
  const kinds = [...new Set(verdict.signals.map((s) => labelOf(s.kind)))];
  const where = salvagedScans.some((scan) => scan.signals.length > 0) ? 'in its raw text and in what could be salvaged of it' : 'in its raw text';
  yield {
    message: `A document kfguard could not read holds crypto-miner indicators ${where} (${kinds.join(', ')}); refused because: ${object.refusal}`,
    severity: verdict.severity === 'critical' ? 'critical' : 'high',
    evidence: [
      `refused: ${object.refusal}`,
      ...(object.condensed ? [object.condensed] : []),
      ...verdict.signals.slice(0, MAX_EVIDENCE_LINES).map(describeSignal),
      ...(object.unsearched > 0 ? [`the last ${object.unsearched} characters of the document were not searched (raw-text limit)`] : []),
      ...[...state.cutShort, ...salvagedScans.flatMap((scan) => scan.cutShort), ...(object.salvageCut ? [object.salvageCut] : [])].map((reason) => `search cut short: ${reason}`),
    ],
  };
}

/** Salvaged objects as workloads: a salvaged List (the `kubectl get -o yaml` form) gives its items. */
function salvagedWorkloads(salvaged: readonly Record<string, unknown>[]): K8sObject[] {
  return salvaged.flatMap((value) => {
    const items = value.items;
    const members = Array.isArray(items) ? items.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item)) : [];
    return [value, ...members].map(asStandIn);
  });
}

/** A salvaged value may lack `apiVersion` or `kind`, or hold something else there: the workload readers expect strings. */
function asStandIn(value: Record<string, unknown>): K8sObject {
  const metadata = typeof value.metadata === 'object' && value.metadata !== null && !Array.isArray(value.metadata) ? value.metadata : {};
  return { ...value, apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '', kind: typeof value.kind === 'string' ? value.kind : '', metadata } as K8sObject;
}
