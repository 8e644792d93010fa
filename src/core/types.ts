import type { Severity } from './severity.js';

export const CATEGORIES = [
  'exposure',
  'authentication',
  'threat',
  'rbac',
  'guardrails',
  'supply-chain',
  'workload-security',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Where an object came from. Rules may be limited to the sources they can judge. */
export const SOURCE_KINDS = ['manifest', 'cluster', 'admission', 'audit', 'kfp-api', 'probe'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A Kubernetes object in wire-form JSON, exactly as a manifest or the API server would give it. */
export type K8sObject = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: ObjectMeta;
  readonly [key: string]: unknown;
};

export type ObjectMeta = {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { readonly kind?: string; readonly name?: string; readonly apiVersion?: string }[];
  readonly [key: string]: unknown;
};

/** The slice of the original text an object was parsed from, kept so locations can be resolved late. */
export interface DocumentText {
  readonly text: string;
  /** Offset of the document's first character within `text`. */
  readonly start: number;
  readonly end: number;
  /** 1-based line of `start`. */
  readonly startLine: number;
}

export interface Origin {
  readonly source: SourceKind;
  /** Display path of the file, or `<stdin>`, or a kustomize directory. */
  readonly file?: string;
  readonly documentIndex?: number;
  /** 1-based line where the document starts. */
  readonly line?: number;
  /** Prefix of the object's path inside its document, e.g. `items[2]` for a List member. */
  readonly pathPrefix?: string;
  readonly document?: DocumentText;
  /** Set when the object came out of an archive, e.g. `pipeline.tar.gz!pipeline.yaml`. */
  readonly archiveMember?: string;
}

export interface ScannedObject {
  readonly object: K8sObject;
  readonly origin: Origin;
}

export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Suppression {
  readonly kind: 'inline' | 'config' | 'baseline';
  readonly reason: string;
  readonly until?: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly title: string;
  readonly message: string;
  readonly resource: ResourceRef;
  readonly location?: SourceLocation;
  readonly path?: string;
  readonly evidence: readonly string[];
  readonly mitre: readonly string[];
  readonly remediation: string;
  readonly source: SourceKind;
  /** Stable across line shifts and document reordering; used by baselines and SARIF. */
  readonly fingerprint: string;
  readonly suppression?: Suppression;
  /** Structured hops for exposure findings, so formats can draw the attack path. */
  readonly attackPath?: readonly AttackPathHop[];
}

export interface AttackPathHop {
  readonly label: string;
  readonly kind: 'internet' | 'entry' | 'route' | 'service' | 'workload' | 'auth-missing' | 'auth-present' | 'note';
}

export interface InputError {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export interface RuleError {
  readonly ruleId: string;
  readonly resource?: ResourceRef;
  readonly message: string;
}

export interface InputStats {
  readonly files: number;
  readonly documents: number;
  readonly skipped: number;
  readonly skippedFiles: number;
  readonly skippedDocuments: number;
}
