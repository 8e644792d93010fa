/**
 * A parsed container image reference, following the grammar of distribution/reference
 * (https://github.com/distribution/reference/blob/main/reference.go): the first path component is
 * a registry host only when it contains `.` or `:` or is `localhost`; a tag follows the last `:`
 * after the last `/`; a digest follows `@`.
 */
export interface ImageRef {
  readonly raw: string;
  /** Registry host (with port), `docker.io` when the reference names none. */
  readonly registry: string;
  readonly registryExplicit: boolean;
  /** Repository path without the registry, e.g. `library/nginx` or `kubeflow/notebook-servers/jupyter`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DEFAULT_REGISTRY = 'docker.io';

/**
 * Seven rules and the threat scan parse each container's image, and a cluster runs few distinct
 * images (the argoexec sidecars are two of a pipeline pod's three containers), so parses are kept
 * by their text. The results are immutable; the cache is emptied when full rather than ordered.
 */
const parsedImages = new Map<string, ImageRef | undefined>();
const PARSED_IMAGES_MAX = 4096;

export function parseImageRef(raw: string): ImageRef | undefined {
  if (parsedImages.has(raw)) return parsedImages.get(raw);
  const parsed = parseImageRefUncached(raw);
  if (parsedImages.size >= PARSED_IMAGES_MAX) parsedImages.clear();
  parsedImages.set(raw, parsed);
  return parsed;
}

function parseImageRefUncached(raw: string): ImageRef | undefined {
  const text = raw.trim();
  if (text === '' || /\s/.test(text) || text.includes('$(') || text.includes('{{')) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const registryExplicit = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = registryExplicit ? first.toLowerCase() : DEFAULT_REGISTRY;
  let repository = registryExplicit ? rest.slice(slash + 1) : rest;
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = `library/${repository}`;
  if (repository === '' || (tag !== undefined && tag === '')) return undefined;
  return {
    raw: text,
    registry,
    registryExplicit,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `registry/repository` as an allow-list entry would spell it, e.g. `docker.io/library/nginx`. */
export function qualifiedName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}

/** Short repository name, e.g. `argocli` for `quay.io/argoproj/argocli:v3.5.0`. */
export function imageBaseName(ref: ImageRef): string {
  return ref.repository.split('/').pop() ?? ref.repository;
}

/** Leading `major.minor` of a version-like tag (`v2.12.3`, `2.7.0-debian`), when it has one. */
export function tagVersion(tag: string | undefined): { major: number; minor: number } | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(tag ?? '');
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}
