import type { K8sObject } from '../../core/types.js';

/**
 * Equal parts of listed objects, kept once. A scan keeps every listed object until its report, and
 * the replicas of one workload repeat the same parts: containers (or their resources, security
 * context, env and probes when a mount name differs), images, tolerations, labels and owner
 * references. As parsed, each copy is its own, and what of it the parser put in the young
 * generation (its longer strings always, whole pages at times: V8 pretenures the objects of a
 * large text only sometimes) is copied by the scavenges before it settles in the old generation
 * (docs/benchmarks.md, scangc11 and clusterslim11). Sharing parts as each page is read lets the
 * fresh copies die young.
 *
 * Each object is compared with the last object listed before it with the same kind and first
 * image (replicas are listed one after the other, since lists come in name order): a part equal
 * to that object's part at the same path is replaced by it. Comparing with one object, not looking
 * parts up in a table, costs a walk of the parsed object and no serialisation.
 *
 * Objects are read, never written, past the reader (the rule tester freezes them; `watch` already
 * shares the parts of an update equal to the stored object, see share-unchanged.ts), so a shared
 * part is the same value to every rule, and nothing tells a shared part from a copy but identity.
 */
export class SharedParts {
  /** Kind, then first image (or NO_IMAGE), to the last object listed with them. */
  private readonly last = new Map<string, Map<unknown, Record<string, unknown>>>();
  private families = 0;

  constructor(
    /** Kinds-and-images remembered at most: past it, an object of a new one is not shared. */
    private readonly maxFamilies = MAX_FAMILIES,
  ) {}

  /** `object` with the parts equal to the last similar object's replaced by them; changed in place. */
  share(object: K8sObject): K8sObject {
    const record = object as unknown as Record<string, unknown>;
    // Two levels rather than a joined key: no string built and hashed per object.
    let byImage = this.last.get(object.kind);
    if (byImage === undefined) {
      if (this.families >= this.maxFamilies) return object;
      byImage = new Map();
      this.last.set(object.kind, byImage);
    }
    const image = firstImageOf(object);
    const previous = byImage.get(image);
    if (previous !== undefined) {
      byImage.set(image, record);
      shareInto(record, previous, 0);
    } else if (this.families < this.maxFamilies) {
      this.families++;
      byImage.set(image, record);
    }
    return object;
  }
}

/**
 * Distinct kinds and first images; each keeps one listed object alive until the scan ends (the
 * snapshot keeps it anyway, unless a list that started again took it back).
 */
const MAX_FAMILIES = 10_000;
/** Deep enough for a template's container's fields (spec.template.spec.containers[0].env[0]). */
const MAX_DEPTH = 8;
/** The parser keeps one copy of short strings itself. */
const MIN_STRING = 16;
/**
 * Parts nested deeper are not compared (so not shared): a hostile server's deeply nested value
 * must not exhaust the stack here, where an error would lose the whole list.
 */
const MAX_COMPARE_DEPTH = 64;

/** Replaces each part of `into` equal to the part of `from` at the same key by `from`'s. */
function shareInto(into: Record<string, unknown> | unknown[], from: Record<string, unknown> | unknown[], depth: number): void {
  if (Array.isArray(into)) {
    if (!Array.isArray(from)) return;
    const n = Math.min(into.length, from.length);
    for (let i = 0; i < n; i++) {
      const kept = shared(into[i], from[i], depth);
      if (kept !== into[i]) into[i] = kept;
    }
    return;
  }
  if (Array.isArray(from)) return;
  // for-in, not Object.keys: no array per record (parsed JSON has no inherited enumerable keys).
  for (const key in into) {
    if (!Object.hasOwn(from, key)) continue;
    const value = into[key];
    const kept = shared(value, from[key], depth);
    if (kept !== value) into[key] = kept;
  }
}

function shared(value: unknown, other: unknown, depth: number): unknown {
  if (value === other) return value;
  if (typeof value === 'string') return typeof other === 'string' && value.length >= MIN_STRING && value === other ? other : value;
  if (typeof value !== 'object' || value === null || typeof other !== 'object' || other === null) return value;
  if (sameJson(value, other, 0)) return other;
  if (depth < MAX_DEPTH) shareInto(value as Record<string, unknown>, other as Record<string, unknown>, depth + 1);
  return value;
}

const NO_IMAGE = {};

/** The first container image of a Pod or of a workload's template: replicas meet under it. */
function firstImageOf(object: K8sObject): unknown {
  const spec = (object as { spec?: unknown }).spec;
  let podSpec: unknown = spec;
  if (object.kind !== 'Pod' && isRecord(spec)) {
    const job = isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
    const template = isRecord(spec.template) ? spec.template : job !== undefined && isRecord(job.template) ? job.template : undefined;
    podSpec = template?.spec;
  }
  const containers = isRecord(podSpec) ? podSpec.containers : undefined;
  const first = Array.isArray(containers) && isRecord(containers[0]) ? containers[0].image : undefined;
  return typeof first === 'string' ? first : NO_IMAGE;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equality of parsed JSON values (no cycles, no prototypes beyond Object and Array); false past MAX_COMPARE_DEPTH. */
function sameJson(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth >= MAX_COMPARE_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(y, key) || !sameJson(x[key], y[key], depth + 1)) return false;
    count++;
  }
  for (const _ in y) count--;
  return count === 0;
}
