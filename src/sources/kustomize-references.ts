import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { asRecord, asString, isRecord } from '../core/object.js';

/**
 * What a kustomization names, so that the files it does not name can still be scanned
 * (`kubectl apply -f dir/` applies them) and remote bases can be refused before a render.
 */
export interface KustomizationInfo {
  /** `Component` directories are only rendered as part of the kustomization that includes them. */
  readonly isComponent: boolean;
  /** Absolute paths of the local files and directories it names. */
  readonly references: ReadonlySet<string>;
  /** Entries that fetch from the network (URLs, `github.com/...`, `?ref=`). */
  readonly remote: readonly string[];
}

/** Fields whose entries are paths (or remote URLs), and fields whose entries carry a `path`. */
const PATH_LISTS = ['resources', 'bases', 'components', 'crds', 'patchesStrategicMerge', 'transformers', 'generators', 'validators', 'configurations', 'openapi'];
const PATH_RECORDS = ['patches', 'patchesJson6902', 'replacements'];
const GENERATORS = ['configMapGenerator', 'secretGenerator'];

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|[?&]ref=|\.git(?:\/\/|$)/i;

export function isRemoteReference(entry: string): boolean {
  return REMOTE.test(entry);
}

export async function readKustomization(dir: string, file: string): Promise<KustomizationInfo> {
  let value: unknown;
  try {
    value = yaml.load(await readFile(join(dir, file), 'utf8'));
  } catch {
    value = undefined; // the render reports a broken kustomization in its own words
  }
  const root = asRecord(value) ?? {};
  const entries: string[] = [];
  for (const key of PATH_LISTS) {
    const list = root[key];
    if (Array.isArray(list)) for (const item of list) if (typeof item === 'string') entries.push(item);
  }
  for (const key of PATH_RECORDS) {
    const list = root[key];
    if (Array.isArray(list)) for (const item of list) if (isRecord(item) && typeof item.path === 'string') entries.push(item.path);
  }
  for (const key of GENERATORS) {
    const list = root[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (!isRecord(item)) continue;
      for (const field of ['files', 'envs']) entries.push(...generatorFiles(item[field]));
      const env = asString(item.env);
      if (env) entries.push(env);
    }
  }
  const remote = entries.filter(isRemoteReference);
  const references = new Set(entries.filter((entry) => !isRemoteReference(entry)).map((entry) => resolve(dir, entry)));
  return { isComponent: asString(root.kind) === 'Component', references, remote };
}

/** `files: [key=path, path]` and `envs: [path]` entries of a generator. */
function generatorFiles(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.filter((f): f is string => typeof f === 'string').map((f) => (f.includes('=') ? f.slice(f.indexOf('=') + 1) : f));
}
