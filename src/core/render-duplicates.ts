import type { Finding } from './types.js';

/**
 * A kustomize (or helm) render and a plain file can hold the same object: a file the
 * kustomization reaches by a path kfguard cannot see as a reference, or the directory and one of
 * its files both named on the command line. Its findings are then reported once: the plain file's
 * (it has a real line to point at), with the render named in the evidence.
 */
export function dropRenderDuplicates(findings: readonly Finding[]): Finding[] {
  const plainByKey = new Map<string, number>();
  findings.forEach((finding, i) => {
    if (finding.origin?.kind === 'file' && finding.origin.reader !== 'kustomize') plainByKey.set(keyOf(finding), i);
  });
  const renderedIn = new Map<number, Set<string>>();
  const dropped = new Set<number>();
  findings.forEach((finding, i) => {
    if (finding.origin?.kind !== 'file' || finding.origin.reader !== 'kustomize') return;
    const plain = plainByKey.get(keyOf(finding));
    if (plain === undefined) return;
    dropped.add(i);
    const renders = renderedIn.get(plain) ?? new Set<string>();
    renders.add(finding.origin.file);
    renderedIn.set(plain, renders);
  });
  if (dropped.size === 0) return [...findings];
  return findings.flatMap((finding, i) => {
    if (dropped.has(i)) return [];
    const renders = renderedIn.get(i);
    return renders ? [{ ...finding, evidence: [...finding.evidence, `also in ${[...renders].join(', ')}; reported once`] }] : [finding];
  });
}

function keyOf(finding: Finding): string {
  return `${finding.fingerprint}\u0000${finding.message}`;
}
