import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportedOrigin, SourceLocation } from '../core/types.js';

/** Where a finding's file lives, as a URI that code-scanning tools can open. */
export interface SourceUri {
  readonly uri: string;
  /** False when the line/column belong to generated text (kustomize output), not to `uri`. */
  readonly hasRegion: boolean;
}

/**
 * Turns a finding's file into a URI relative to `base`. Kustomize output points at the directory's
 * kustomization.yaml without a region, because its lines are rendered text; an archive member points
 * at the archive; stdin has no file at all.
 */
export function sourceUriOf(location: Pick<SourceLocation, 'file'>, origin: ReportedOrigin | undefined, cwd: string, base: string): SourceUri | undefined {
  if (origin && origin.kind !== 'file') return undefined;
  switch (origin?.reader) {
    case 'stdin':
      return undefined;
    case 'kustomize':
      return { uri: uriFor(resolve(cwd, origin.path ?? location.file, 'kustomization.yaml'), base), hasRegion: false };
    case 'archive':
      return { uri: uriFor(resolve(cwd, origin.path ?? location.file), base), hasRegion: false };
    default:
      if (location.file === '' || location.file === '<stdin>') return undefined;
      return { uri: uriFor(resolve(cwd, origin?.path ?? location.file), base), hasRegion: true };
  }
}

function uriFor(absolute: string, base: string): string {
  const rel = relative(base, absolute);
  // Outside the base a relative URI would climb with `..`, which GitHub rejects; an absolute file URI is honest.
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return pathToFileURL(absolute).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}
