import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceLocation } from '../core/types.js';

/** Where a finding's file lives, as a URI that code-scanning tools can open. */
export interface SourceUri {
  readonly uri: string;
  /** False when the line/column belong to generated text (kustomize output), not to `uri`. */
  readonly hasRegion: boolean;
}

const KUSTOMIZE_SUFFIX = ' (kustomize)';
const ARCHIVE_MEMBER = /^(.*\.(?:tar\.gz|tgz|tar|zip))!.+$/i;

/**
 * Turns a display path (relative to `cwd`) into a URI relative to `base`. Kustomize output points
 * at the directory's kustomization.yaml without a region, because its lines are rendered text;
 * stdin has no file at all.
 */
export function sourceUriOf(location: Pick<SourceLocation, 'file'>, cwd: string, base: string): SourceUri | undefined {
  const file = location.file;
  if (file === '' || file === '<stdin>') return undefined;
  if (file.endsWith(KUSTOMIZE_SUFFIX)) {
    const dir = file.slice(0, -KUSTOMIZE_SUFFIX.length);
    return { uri: uriFor(resolve(cwd, dir, 'kustomization.yaml'), base), hasRegion: false };
  }
  const archive = ARCHIVE_MEMBER.exec(file);
  if (archive?.[1]) return { uri: uriFor(resolve(cwd, archive[1]), base), hasRegion: false };
  return { uri: uriFor(resolve(cwd, file), base), hasRegion: true };
}

function uriFor(absolute: string, base: string): string {
  const rel = relative(base, absolute);
  // Outside the base a relative URI would climb with `..`, which GitHub rejects; an absolute file URI is honest.
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return pathToFileURL(absolute).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}
