import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { isRecord } from '../core/object.js';
import { packageDataDir } from '../data/data-dir.js';
import { shippedValues } from '../data/list-file.js';
import { MINER_OPTION_KEYS, type MinerOptions } from './miner-options.js';

/** One indicator value (or a group of values) with the public source it was taken from. */
export interface IndicatorEntry {
  readonly values: readonly string[];
  readonly source: string;
}

/** The raw lists from `data/indicators/*.yaml`, keyed by list name (`minerBinaries`, `poolDomains` …). */
export type IndicatorData = Readonly<Record<string, readonly IndicatorEntry[]>>;

/** Indicators compiled for fast matching. Built once per data set and config. */
export interface Indicators {
  readonly minerBinaries: ReadonlySet<string>;
  readonly minerProjects: readonly string[];
  readonly images: ReadonlySet<string>;
  readonly mlFrameworkImagePrefixes: readonly string[];
  readonly trustedImages: ReadonlySet<string>;
  /** Words of an image repository path that say it is a miner (`xmrig`, `lolminer`, `miner`). */
  readonly minerImageWords: ReadonlySet<string>;
  /** Words before "miner" that make it data mining (`log-miner`). */
  readonly minerImageBenignQualifiers: ReadonlySet<string>;
  /** Hosts (and subdomains) that serve droppers: paste sites, anonymous file hosts, IPFS gateways, OAST hosts. */
  readonly dropperHosts: ReadonlyMap<string, string>;
  /** `host/path` prefixes of well-known installers run with `curl … | sh`, each from its own project's domain. */
  readonly trustedInstallers: readonly string[];
  readonly stratumUrl: RegExp;
  readonly poolDomains: readonly string[];
  readonly poolPorts: ReadonlySet<number>;
  readonly strongFlags: ReadonlySet<string>;
  readonly poolFlags: ReadonlySet<string>;
  readonly userFlags: ReadonlySet<string>;
  readonly algoFlags: ReadonlySet<string>;
  readonly miningAlgorithms: ReadonlySet<string>;
  readonly commandLineSubstrings: readonly string[];
  /** Commands that fetch a URL (`curl`, `wget` …). */
  readonly downloaders: ReadonlySet<string>;
  /** Everyday tools (and the downloaders) whose flags are never read as miner flags. */
  readonly notMiners: ReadonlySet<string>;
  /** Source-build steps that may run code unpacked from a download. */
  readonly buildSteps: ReadonlySet<string>;
}

/** The shipped indicator lists' folder. */
export function indicatorDataDir(): string {
  return packageDataDir('indicators');
}

/** Reads and validates every indicator file; each entry must carry an https source URL. */
export function loadIndicatorData(dir: string = indicatorDataDir()): IndicatorData {
  const lists: Record<string, IndicatorEntry[]> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const where = join(dir, file);
    const doc = yaml.load(readFileSync(where, 'utf8'));
    if (!isRecord(doc) || typeof doc.version !== 'number') throw new Error(`${where}: needs a numeric "version"`);
    for (const [key, value] of Object.entries(doc)) {
      if (!Array.isArray(value)) continue;
      const entries = (lists[key] ??= []);
      value.forEach((raw, i) => entries.push(toEntry(raw, `${where} ${key}[${i}]`)));
    }
  }
  return lists;
}

function toEntry(raw: unknown, where: string): IndicatorEntry {
  if (!isRecord(raw) || typeof raw.source !== 'string' || !raw.source.startsWith('https://')) {
    throw new Error(`${where}: every indicator needs a "source" https URL`);
  }
  const values = Array.isArray(raw.value) ? raw.value.map(String) : [String(raw.value)];
  if (values.length === 0 || values.some((v) => v === '' || v === 'undefined')) throw new Error(`${where}: empty value`);
  return { values, source: raw.source };
}

/** The dropper host lists of `data/indicators/dropper-hosts.yaml` and how evidence names each. */
const DROPPER_HOST_LISTS = [
  ['pasteSites', 'paste site'],
  ['anonymousFileHosts', 'anonymous file host'],
  ['ipfsGateways', 'IPFS gateway'],
] as const;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function valuesOf(data: IndicatorData, key: string): string[] {
  return (data[key] ?? []).flatMap((entry) => entry.values);
}

/** Compiles the data and the user's config extensions into matchers. */
export function compileIndicators(data: IndicatorData, extensions?: MinerOptions): Indicators {
  const lower = (values: readonly string[]): string[] => values.map((v) => v.toLowerCase());
  const downloaders = [...valuesOf(data, 'downloaders'), ...(extensions?.downloaders ?? [])];
  const schemes = valuesOf(data, 'stratumSchemes')
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  return {
    minerBinaries: new Set(lower([...valuesOf(data, 'minerBinaries'), ...(extensions?.minerBinaries ?? [])])),
    minerProjects: lower(valuesOf(data, 'minerProjects')),
    images: new Set(lower([...valuesOf(data, 'images'), ...(extensions?.images ?? [])]).map(imageRepository)),
    mlFrameworkImagePrefixes: lower(valuesOf(data, 'mlFrameworkImages')),
    trustedImages: new Set(lower(extensions?.trustedImages ?? []).map(imageRepository)),
    minerImageWords: new Set(lower(valuesOf(data, 'minerImageWords'))),
    minerImageBenignQualifiers: new Set(lower(valuesOf(data, 'minerImageBenignQualifiers'))),
    dropperHosts: new Map([
      ...DROPPER_HOST_LISTS.flatMap(([key, label]) => lower(valuesOf(data, key)).map((host) => [host, label] as const)),
      // The same list the job-API hunt reads, so both name the same callback hosts.
      ...lower(shippedValues('oast-hosts')).map((host) => [host, 'out-of-band callback host'] as const),
    ]),
    trustedInstallers: lower(valuesOf(data, 'trustedInstallers')),
    // Scheme plus `://` and a body: "stratum" alone is a common word (data layers, geology). The body
    // is one greedy run so hostile text cannot make the match backtrack.
    stratumUrl: new RegExp(`(?<![\\w+.-])(?:${schemes.join('|')})://[^\\s"'\`<>|;,]+`, 'gi'),
    poolDomains: lower([...valuesOf(data, 'poolDomains'), ...(extensions?.poolDomains ?? [])]),
    poolPorts: new Set(valuesOf(data, 'poolPorts').map(Number)),
    strongFlags: new Set(lower(valuesOf(data, 'strongFlags'))),
    poolFlags: new Set(valuesOf(data, 'poolFlags')),
    userFlags: new Set(valuesOf(data, 'userFlags')),
    algoFlags: new Set(valuesOf(data, 'algoFlags')),
    miningAlgorithms: new Set(lower(valuesOf(data, 'miningAlgorithms'))),
    commandLineSubstrings: valuesOf(data, 'commandLineSubstrings'),
    downloaders: new Set(downloaders),
    notMiners: new Set([...downloaders, ...valuesOf(data, 'notMiners'), ...(extensions?.notMiners ?? [])]),
    buildSteps: new Set([...valuesOf(data, 'buildSteps'), ...(extensions?.buildSteps ?? [])]),
  };
}

/** `docker.io/library/x:1@sha256:…` → `x`; `registry:5000/a/b:tag` → `registry:5000/a/b`. */
export function imageRepository(image: string): string {
  let repo = image.trim().toLowerCase();
  const at = repo.indexOf('@');
  if (at !== -1) repo = repo.slice(0, at);
  const slash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  if (colon > slash) repo = repo.slice(0, colon);
  for (const prefix of ['docker.io/library/', 'docker.io/', 'index.docker.io/library/', 'index.docker.io/', 'registry.hub.docker.com/']) {
    if (repo.startsWith(prefix)) return repo.slice(prefix.length);
  }
  return repo;
}

/** The image's tag, or `latest` when none is given and no digest pins it. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

let defaultData: IndicatorData | undefined;
const compiledByExtensions = new WeakMap<MinerOptions, Indicators>();
let compiledDefault: Indicators | undefined;

/** Indicators from the shipped data plus the config's extensions, compiled once and cached. */
export function indicatorsFor(extensions: MinerOptions | undefined): Indicators {
  defaultData ??= loadIndicatorData();
  const empty = !extensions || MINER_OPTION_KEYS.every((key) => (extensions[key]?.length ?? 0) === 0);
  if (empty) return (compiledDefault ??= compileIndicators(defaultData));
  let compiled = compiledByExtensions.get(extensions);
  if (!compiled) {
    compiled = compileIndicators(defaultData, extensions);
    compiledByExtensions.set(extensions, compiled);
  }
  return compiled;
}
