import { asRecord, asString } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { requiredText, shippedList } from '../data/list-file.js';
import { parseImageRef } from '../k8s/image-ref.js';
import { containersOf, imageOf } from '../k8s/workloads.js';

/** One entry of `data/lists/ray-vulnerable-versions.yaml`. */
export interface RayAdvisory {
  readonly id: string;
  readonly fixedIn: readonly [number, number, number];
  readonly summary: string;
  readonly images: readonly RegExp[];
  readonly source: string;
  readonly references: readonly string[];
}

type Version = readonly [number, number, number];

/** A pip requirement pinning Ray: `ray==2.9.3`, `ray[default]==2.9.3`, `"ray[client, serve]==2.40.0"`. */
const PIP_RAY_PIN = /(?<![\w.-])ray(?:\[[\w, -]*\])?\s*==\s*(v?\d+\.\d+(?:\.\d+)?)/g;

const LEADING_VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?/;

/** `2.9.0`, `2.9.0-py310-gpu`, `2.9` → [2, 9, 0]; `latest` and `nightly` have no version. */
export function rayVersionOf(text: string): Version | undefined {
  const match = LEADING_VERSION.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function olderThan(version: Version, fixed: Version): boolean {
  for (let i = 0; i < 3; i++) if ((version[i] ?? 0) !== (fixed[i] ?? 0)) return (version[i] ?? 0) < (fixed[i] ?? 0);
  return false;
}

let advisories: readonly RayAdvisory[] | undefined;

export function rayAdvisories(): readonly RayAdvisory[] {
  advisories ??= shippedList('ray-vulnerable-versions').map((entry) => {
    const fixedIn = rayVersionOf(String(entry.fields.fixedIn ?? ''));
    if (!fixedIn) throw new Error(`${entry.where}: "fixedIn" must be a version like 2.52.0`);
    const images = entry.fields.images;
    if (!Array.isArray(images) || images.length === 0 || images.some((i) => typeof i !== 'string')) throw new Error(`${entry.where}: "images" must be a list of regexes`);
    const references = Array.isArray(entry.fields.references) ? entry.fields.references.filter((r): r is string => typeof r === 'string') : [];
    return { id: requiredText(entry, 'id'), fixedIn, summary: requiredText(entry, 'summary'), images: images.map((i: string) => new RegExp(i)), source: entry.source, references };
  });
  return advisories;
}

/** What an image's text says against the advisories: a Ray image's version and the advisories it predates. */
interface ImageVerdict {
  readonly version: Version;
  readonly older: readonly RayAdvisory[];
}

/** No advisory's images match, or the tag carries no version. */
const NOT_RAY = Symbol('not a versioned Ray image');

/**
 * Verdicts by image text. Every container of every object is asked about, and a scan has few
 * distinct images (20,000 pipeline pods run about ten): parsing the reference, joining the
 * repository and testing each advisory's patterns per container was most of this rule's cost.
 * Keyed by the advisory list too, so a different list (tests) never reads another's verdicts.
 * Bounded: image texts come from the input, which may hold any number of distinct ones.
 */
const imageVerdicts = new WeakMap<readonly RayAdvisory[], Map<string, ImageVerdict | typeof NOT_RAY>>();
const MAX_IMAGE_VERDICTS = 4_096;

function imageVerdictOf(image: string, list: readonly RayAdvisory[]): ImageVerdict | typeof NOT_RAY {
  let verdicts = imageVerdicts.get(list);
  if (!verdicts) {
    verdicts = new Map();
    imageVerdicts.set(list, verdicts);
  }
  let verdict = verdicts.get(image);
  if (verdict === undefined) {
    verdict = judgeImage(image, list);
    if (verdicts.size >= MAX_IMAGE_VERDICTS) verdicts.clear();
    verdicts.set(image, verdict);
  }
  return verdict;
}

function judgeImage(image: string, list: readonly RayAdvisory[]): ImageVerdict | typeof NOT_RAY {
  const parsed = parseImageRef(image);
  if (!parsed?.tag) return NOT_RAY;
  const repository = `${parsed.registry}/${parsed.repository}`;
  const version = rayVersionOf(parsed.tag);
  if (!version) return NOT_RAY;
  let matched = false;
  const older: RayAdvisory[] = [];
  for (const advisory of list) {
    if (!advisory.images.some((re) => re.test(repository))) continue;
    matched = true;
    if (olderThan(version, advisory.fixedIn)) older.push(advisory);
  }
  return matched ? { version, older } : NOT_RAY;
}

export interface RayVersionSite {
  /** Path of the field that names the version: a container's `image` or `spec.rayVersion`. */
  readonly path: string;
  readonly text: string;
  readonly version: Version;
  readonly advisory: RayAdvisory;
}

/** Where an object runs (or declares) a Ray release with a known flaw. */
export function vulnerableRaySites(object: K8sObject): RayVersionSite[] {
  const sites: RayVersionSite[] = [];
  const list = rayAdvisories();
  // An image with a readable Ray version is what runs; `rayVersion` speaks only when no image does.
  let imageVersionSeen = false;
  for (const ref of containersOf(object)) {
    const image = imageOf(ref.container) ?? '';
    const verdict = imageVerdictOf(image, list);
    if (verdict === NOT_RAY) continue;
    imageVersionSeen = true;
    for (const advisory of verdict.older) sites.push({ path: `${ref.path}.image`, text: image, version: verdict.version, advisory });
  }
  // A stock Python image that installs a pinned Ray at start (`pip install "ray[default]==2.9.3"`)
  // runs that release as surely as a Ray image does.
  for (const ref of containersOf(object)) {
    for (const [field, values] of [['command', ref.container.command], ['args', ref.container.args]] as const) {
      if (!Array.isArray(values)) continue;
      values.forEach((value, index) => {
        // Every pin has the word in it; the regex (a lookbehind at each position) is the cost.
        if (typeof value !== 'string' || !value.includes('ray')) return;
        for (const pin of value.matchAll(PIP_RAY_PIN)) {
          const version = rayVersionOf(pin[1] ?? '');
          if (!version) continue;
          imageVersionSeen = true;
          for (const advisory of list) {
            if (olderThan(version, advisory.fixedIn)) sites.push({ path: `${ref.path}.${field}[${index}]`, text: pin[0], version, advisory });
          }
        }
      });
    }
  }
  // KubeRay's `spec.rayVersion` states the release when the image does not (a digest, a private mirror).
  if (!imageVersionSeen && object.apiVersion.startsWith('ray.io/')) {
    const spec = asRecord(object.spec);
    for (const [path, declared] of [
      ['spec.rayVersion', asString(spec?.rayVersion)],
      ['spec.rayClusterSpec.rayVersion', asString(asRecord(spec?.rayClusterSpec)?.rayVersion)],
      ['spec.rayClusterConfig.rayVersion', asString(asRecord(spec?.rayClusterConfig)?.rayVersion)],
    ] as const) {
      const version = declared === undefined ? undefined : rayVersionOf(declared);
      if (!version || declared === undefined) continue;
      for (const advisory of list) {
        if (!olderThan(version, advisory.fixedIn)) continue;
        sites.push({ path, text: `rayVersion ${declared}`, version, advisory });
      }
    }
  }
  return sites;
}
