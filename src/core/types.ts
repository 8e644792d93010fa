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

/**
 * The kinds of input a rule can judge. Each origin kind maps to one (`file` → `manifest`); rules
 * declare the ones they can judge, and the report says which rules a source could not evaluate.
 */
export const SOURCE_KINDS = ['manifest', 'cluster', 'admission', 'audit', 'api', 'probe'] as const;
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
  /** Untyped like `ownerReferences`: read through `labelsOf` and `annotationsOf`. */
  readonly labels?: unknown;
  readonly annotations?: unknown;
  /** Untyped: a file holds whatever its author wrote; read through `core/object.ts` (`ownerReferencesOf`). */
  readonly ownerReferences?: unknown;
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

/** What read a file-origin object: a file on disk, stdin, a member of an archive, or a kustomize render. */
export type FileReader = 'file' | 'stdin' | 'archive' | 'kustomize';

/** An object read from text: a manifest file, stdin, an archive member or rendered kustomize output. */
export interface FileOrigin {
  readonly kind: 'file';
  readonly reader: FileReader;
  /**
   * How reports name the input: the display path of the file, `<stdin>`, `pkg.tar.gz!member.yaml`
   * for an archive member, or `dir (kustomize)` for a render.
   */
  readonly file: string;
  /** The file or directory on disk behind `file` (the archive, the kustomize directory); absent for stdin. */
  readonly path?: string;
  readonly documentIndex?: number;
  /** 1-based line where the document starts. */
  readonly line?: number;
  /** Prefix of the object's path inside its document, e.g. `items[2]` for a List member. */
  readonly pathPrefix?: string;
  readonly document?: DocumentText;
  /**
   * The document could not be read (an input error, a Helm template not rendered) and the object
   * is its stand-in (core/unread-document.ts): findings on it are placed without parsing a text
   * known not to parse, which cost the `yaml` parser's error recovery seconds per MB (issue 17).
   */
  readonly unread?: true;
  /** Set when the object came out of an archive, e.g. `pipeline.yaml` of `pipeline.tar.gz`. */
  readonly archiveMember?: string;
  /**
   * Where YAML 1.2 readers and Kubernetes read the object's document differently, or kfguard cannot
   * be sure it reads it as Kubernetes does. The object is Kubernetes' reading; these say the other exists.
   */
  readonly readingNotes?: readonly string[];
  /** What the worst of `readingNotes` can change (sources/reading-diff.ts); absent means high. */
  readonly readingStakes?: ReadingStakes;
  /**
   * Set when the file is a `kfguard snapshot` of a live cluster: the context it was listed from.
   * Its objects were written by whoever created them in the cluster, not by a reviewer, so their
   * own annotations are trusted no more than the live scan's (suppress/untrusted-annotations.ts).
   */
  readonly snapshotOf?: string;
}

/**
 * How much a difference between two readings of a document can change: high when it may be a
 * command, image, environment, port or selector; medium for labels and guarding annotations; low
 * for an octal file mode or values that are equal.
 */
export type ReadingStakes = 'high' | 'medium' | 'low';

/** An object listed or watched from a live cluster. */
export interface ClusterOrigin {
  readonly kind: 'cluster';
  readonly context: string;
  readonly resourceVersion?: string;
}

/** An object under review by the admission webhook. */
export interface AdmissionOrigin {
  readonly kind: 'admission';
  readonly uid: string;
  readonly operation: string;
  readonly user: string;
  readonly groups: readonly string[];
  readonly dryRun: boolean;
}

/** An object carried by a Kubernetes audit event (its `requestObject` or `responseObject`). */
export interface AuditOrigin {
  readonly kind: 'audit';
  readonly auditID: string;
  readonly timestamp: string;
  readonly user: string;
  readonly sourceIPs: readonly string[];
  readonly userAgent?: string;
  readonly verb: string;
  readonly groups?: readonly string[];
  /** The user the request was made by when `user` was impersonated. */
  readonly impersonatedBy?: string;
  /** What the request was about, e.g. `pods/exec kubeflow-user/train-abc` or `services istio-system/istio-ingressgateway`. */
  readonly objectRef?: string;
  /** The way in the actor used, e.g. `Kubeflow Pipelines API server` (from `data/lists/audit-doors.yaml`). */
  readonly door?: string;
}

/** An object read from an ML platform's job API (KFP runs and pipelines, Argo workflows, Ray jobs). */
export interface ApiOrigin {
  readonly kind: 'api';
  readonly api: 'kfp' | 'argo' | 'ray';
  readonly endpoint: string;
  /** The run, pipeline, workflow or job id. */
  readonly id?: string;
  /** Where a person can look at it in the platform's UI. */
  readonly uiLink?: string;
  /** What the platform calls it (a run's display name, a job's submission id). */
  readonly displayName?: string;
  readonly createdAt?: string;
  /** The run's or job's state as the API reports it (`SUCCEEDED`, `Running`, `RUNNING`). */
  readonly status?: string;
}

/** What an outside-in probe of a URL saw. */
export interface ProbeOrigin {
  readonly kind: 'probe';
  readonly url: string;
}

/** Where an object came from. Only file origins resolve to a line and column. */
export type Origin = FileOrigin | ClusterOrigin | AdmissionOrigin | AuditOrigin | ApiOrigin | ProbeOrigin;
export type OriginKind = Origin['kind'];

export function fileOriginOf(origin: Origin): FileOrigin | undefined {
  return origin.kind === 'file' ? origin : undefined;
}

/** The source kind whose rules judge objects of an origin. */
export function sourceKindOf(origin: Origin): SourceKind {
  return origin.kind === 'file' ? 'manifest' : origin.kind;
}

/**
 * An origin as reports show it: everything but the text kept for late line lookup. File origins
 * keep only what names the input; the line is in the finding's `location`.
 */
export type ReportedOrigin =
  | Pick<FileOrigin, 'kind' | 'reader' | 'file' | 'path' | 'archiveMember' | 'snapshotOf'>
  | ClusterOrigin
  | AdmissionOrigin
  | AuditOrigin
  | ApiOrigin
  | ProbeOrigin;

export function reportedOriginOf(origin: Origin): ReportedOrigin {
  if (origin.kind !== 'file') return origin;
  const { kind, reader, file, path, archiveMember, snapshotOf } = origin;
  return {
    kind,
    reader,
    file,
    ...(path !== undefined ? { path } : {}),
    ...(archiveMember !== undefined ? { archiveMember } : {}),
    ...(snapshotOf !== undefined ? { snapshotOf } : {}),
  };
}

export interface ScannedObject {
  readonly object: K8sObject;
  readonly origin: Origin;
  /**
   * `identityOf(object)`, when the source holds one copy per identity and built it already (a live
   * cluster snapshot): the same string for every copy of the object, so caches kept per copy can
   * key by it and an update replaces their value in place (`CopyRecords`). Never set on a copy it
   * does not name: two copies with one identity must be two versions of one object.
   */
  readonly identity?: string;
}

/** An object read from text, which resolves to lines. */
export interface FileScannedObject extends ScannedObject {
  readonly origin: FileOrigin;
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
  /** Where the judged object came from, in that source's own terms (absent on findings built by hand). */
  readonly origin?: ReportedOrigin;
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

/**
 * A rule that did not judge something, and why: the source cannot supply what it needs, or an
 * object's budget ran out. Never silent, never a different severity.
 */
export interface CoverageEntry {
  readonly ruleId: string;
  readonly source: SourceKind;
  /** Set when the gap concerns one object (a budget ran out), absent when it concerns the whole source. */
  readonly resource?: ResourceRef;
  readonly reason: string;
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
  /** Renders read (kustomize directories, Helm charts); each also counts once in `files`. */
  readonly rendered?: number;
  /** Files in kustomize directories that the kustomization does not name, scanned as plain manifests. */
  readonly unreferencedFiles?: number;
  /** Directories whose render was not read, with why (failed, remote base refused, Helm missing). */
  readonly notRendered?: readonly { readonly path: string; readonly reason: string }[];
  /**
   * What was read, in the source's own terms, when it was not files: `12 list(s) from cluster
   * context prod, 840 object(s)`, `2 job API(s), 57 run(s) ... judged`, `3 log(s), 9000 event(s)`.
   * Reports show it instead of the file and document counts, which would read "0 file(s)".
   */
  readonly readAs?: string;
}
