import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRecord } from '../core/object.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream, type ParseLimits } from '../sources/yaml-documents.js';

/**
 * How kfguard reads for the comparison. By default as `kfguard scan` does, CRD schema blocks cut
 * (crd-schema-skip.ts): kubectl's schemas are then emptied too, as the cut empties them.
 * `fullSchemas` compares them as well (`--parse-crd-schemas`), which costs far more on CRDs.
 */
export interface OracleOptions {
  readonly fullSchemas?: boolean;
}

function limitsOf(options: OracleOptions): ParseLimits {
  return { ...DEFAULT_PARSE_LIMITS, parseCrdSchemas: options.fullSchemas === true };
}

/**
 * kubectl as the reference reader in tests: `kubectl label --local -f FILE kfguard-oracle=x -o json`
 * decodes files with the decoder of `kubectl apply -f` and prints each object back as JSON. The
 * label it adds is removed again before comparing.
 */
const ORACLE_LABEL = 'kfguard-oracle';
const KUBECTL = process.env.KFGUARD_KUBECTL ?? 'kubectl';

let available: boolean | undefined;

export function kubectlAvailable(): boolean {
  available ??= spawnSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }).status === 0;
  return available;
}

/** node:test options: skip with a printed reason when kubectl is missing; under CI=true that is a failure. */
export function requiresKubectl(): { skip: string | false } {
  if (kubectlAvailable()) return { skip: false };
  if (process.env.CI === 'true') throw new Error('CI=true but kubectl is not on PATH; the differential test against kubectl must run in CI');
  const reason = 'kubectl not on PATH; differential tests against kubectl skipped';
  process.stderr.write(`kfguard tests: ${reason}\n`);
  return { skip: reason };
}

export interface OracleResult {
  /** The objects kubectl decoded, in order, with the oracle label removed. */
  readonly objects: Record<string, unknown>[];
  /** kubectl's error, when it stopped; objects then holds what it printed before. */
  readonly error?: string;
}

/** Decodes each text with kubectl; one kubectl call per batch, one per text again only for batches that fail. */
export function kubectlDecodeAll(texts: readonly string[], options: OracleOptions = {}, batchSize = 60): OracleResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-oracle-'));
  try {
    const files = texts.map((text, i) => {
      const file = join(dir, `doc-${i}.yaml`);
      writeFileSync(file, text);
      return file;
    });
    // Texts kfguard expects kubectl to refuse go alone, so they do not fail a whole batch.
    const results: OracleResult[] = new Array(texts.length);
    const counts = texts.map((text) => expectedCount(text, limitsOf(options)));
    const batched = files.map((_, i) => i).filter((i) => counts[i] !== undefined);
    const alone = files.map((_, i) => i).filter((i) => counts[i] === undefined);
    const fromBatches = decodeFiles(batched.map((i) => counts[i]!), batched.map((i) => files[i]!), 0, batched.length, batchSize);
    batched.forEach((i, j) => (results[i] = fromBatches[j]!));
    for (const i of alone) results[i] = runKubectl([files[i]!]);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One kubectl call per batch. A batch that fails, or whose output cannot be split by the counts
 * kfguard expects, is halved until each text stands alone: a failure costs log(n) calls, not n.
 */
function decodeFiles(counts: readonly number[], files: readonly string[], from: number, to: number, batchSize: number): OracleResult[] {
  // No texts to batch (every one goes alone): halving an empty range would never end.
  if (to <= from) return [];
  if (to - from > batchSize) {
    const results: OracleResult[] = [];
    for (let i = from; i < to; i += batchSize) results.push(...decodeFiles(counts, files, i, Math.min(i + batchSize, to), batchSize));
    return results;
  }
  const together = runKubectl(files.slice(from, to));
  if (to - from === 1) return [together];
  const batch = counts.slice(from, to);
  if (!together.error && batch.reduce((a, b) => a + b, 0) === together.objects.length) {
    let at = 0;
    return batch.map((count) => {
      const objects = together.objects.slice(at, at + count);
      at += count;
      return { objects };
    });
  }
  const middle = from + Math.ceil((to - from) / 2);
  return [...decodeFiles(counts, files, from, middle, batchSize), ...decodeFiles(counts, files, middle, to, batchSize)];
}

/** How many objects kfguard expects kubectl to print for a text (Lists flattened); undefined when it cannot tell. */
function expectedCount(text: string, limits: ParseLimits): number | undefined {
  const { documents, errors } = parseYamlStream(text, limits);
  if (errors.length > 0) return undefined;
  const objects = flattenLists(documents.filter((d) => !d.refused).map((d) => d.value));
  const readable = (o: unknown): boolean => isRecord(o) && typeof o.kind === 'string' && o.kind !== '' && typeof o.apiVersion === 'string' && o.apiVersion !== '';
  return objects.every(readable) ? objects.length : undefined;
}

/** kubectl flattens `List` and `*List` documents into their items. */
export function flattenLists(values: readonly unknown[]): unknown[] {
  return values.flatMap((value) =>
    isRecord(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items) ? value.items : [value],
  );
}

function runKubectl(files: readonly string[]): OracleResult {
  const args = ['label', '--local', ...files.flatMap((f) => ['-f', f]), `${ORACLE_LABEL}=x`, '-o', 'json'];
  const run = spawnSync(KUBECTL, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const objects = parseConcatenatedJson(run.stdout ?? '').map(dropOracleLabel);
  if (run.status === 0) return { objects };
  return { objects, error: (run.stderr || `kubectl exited ${run.status}`).trim() };
}

function parseConcatenatedJson(text: string): Record<string, unknown>[] {
  const { documents } = parseYamlStream(text);
  return documents.map((d) => d.value as Record<string, unknown>);
}

function dropOracleLabel(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = object.metadata;
  if (!isRecord(metadata) || !isRecord(metadata.labels)) return object;
  const { [ORACLE_LABEL]: _dropped, ...labels } = metadata.labels;
  const copy = { ...metadata };
  if (Object.keys(labels).length === 0) delete copy.labels;
  else copy.labels = labels;
  return { ...object, metadata: copy };
}

/**
 * What `kubectl label` itself changes, made the same on both sides: it drops managedFields (as
 * every client-side update does), and writing the label creates `metadata` and `labels`, so an
 * empty `labels` or `metadata` cannot be told from a missing one.
 */
function withoutLabelEffects(value: unknown): unknown {
  if (!isRecord(value) || !isRecord(value.metadata)) return value;
  const { managedFields: _managed, ...metadata } = value.metadata;
  if (isRecord(metadata.labels) && Object.keys(metadata.labels).length === 0) delete (metadata as Record<string, unknown>).labels;
  const { metadata: _metadata, ...rest } = value;
  return Object.keys(metadata).length === 0 ? rest : { ...rest, metadata };
}

/**
 * Compares kfguard's reading of a text with kubectl's; the differences, one line each (none when they agree).
 * A `labels: {}` kfguard read is dropped too, as kubectl's output cannot tell it from no labels.
 */
export function compareWithKubectl(text: string, oracle: OracleResult, options: OracleOptions = {}): string[] {
  const { documents, errors } = parseYamlStream(text, limitsOf(options));
  const ours = flattenLists(documents.filter((d) => !d.refused).map((d) => d.value)).map((value) => normalise(withoutLabelEffects(value)));
  const theirs = oracle.objects.map((value) => normalise(withoutLabelEffects(options.fullSchemas ? value : withEmptySchemas(value))));
  const problems: string[] = [];
  const shared = Math.min(ours.length, theirs.length);
  for (let i = 0; i < shared; i++) {
    const a = JSON.stringify(ours[i]);
    const b = JSON.stringify(theirs[i]);
    if (a !== b) problems.push(`object ${i}: kfguard reads ${a.slice(0, 300)} but kubectl ${b.slice(0, 300)}`);
  }
  if (oracle.error) {
    // kubectl stops at the first document it refuses; kfguard must have seen something there it knows kubectl refuses.
    const next = ours[theirs.length];
    const refusedByUs = errors.length > 0 || documents.some((d) => (d.readingNotes ?? []).some((n) => /kubectl (refuses|stops)/.test(n)));
    const notAnObject = next !== undefined && !(isRecord(next) && typeof next.kind === 'string' && next.kind !== '' && typeof next.apiVersion === 'string' && next.apiVersion !== '');
    if (!refusedByUs && !notAnObject) problems.push(`kubectl refused (${oracle.error.split('\n')[0]}) after ${theirs.length} object(s), where kfguard reads ${ours.length} readable one(s)`);
  } else if (ours.length !== theirs.length) {
    problems.push(`kfguard reads ${ours.length} object(s), kubectl ${theirs.length}`);
  } else if (errors.length > 0) {
    problems.push(`kfguard refused what kubectl read: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  }
  return problems;
}

/** A CRD's schemas emptied, as kfguard's schema cut leaves them. */
function withEmptySchemas(value: unknown): unknown {
  if (!isRecord(value) || value.kind !== 'CustomResourceDefinition' || !isRecord(value.spec)) return value;
  const copy = structuredClone(value) as { spec: Record<string, unknown> };
  const empty = (holder: unknown): void => {
    if (isRecord(holder) && holder.openAPIV3Schema !== undefined) (holder as Record<string, unknown>).openAPIV3Schema = {};
  };
  if (Array.isArray(copy.spec.versions)) for (const version of copy.spec.versions) if (isRecord(version)) empty(version.schema);
  empty(copy.spec.validation);
  return copy;
}

/** Sorted keys, so two readings compare as JSON text whatever the key order. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === '__proto__') Object.defineProperty(out, key, { value: normalise(value[key]), enumerable: true });
      else out[key] = normalise(value[key]);
    }
    return out;
  }
  return value;
}
