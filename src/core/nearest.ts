// Shared by config/ and suppress/; config/ imports suppress/, so the helper sits below both.
/** Up to `limit` candidates closest to `word` by edit distance, for "did you mean" hints. */
export function nearestWords(word: string, candidates: readonly string[], limit = 3): string[] {
  const maxDistance = Math.max(2, Math.floor(word.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: Math.min(editDistance(word, candidate), prefixDistance(word, candidate)) }))
    .filter((c) => c.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map((c) => c.candidate);
}

/**
 * A mistyped start of a long id (`crypto-minr` for `crypto-miner-workload`) is far from the whole
 * id but near its prefix: the distance to the closest prefix, plus one so whole-word matches rank
 * first. Words under 6 characters are too short to say much by their prefix.
 */
function prefixDistance(word: string, candidate: string): number {
  if (word.length < 6 || candidate.length <= word.length + 1) return Number.POSITIVE_INFINITY;
  let best = Number.POSITIVE_INFINITY;
  for (let length = word.length - 1; length <= word.length + 1; length++) best = Math.min(best, editDistance(word, candidate.slice(0, length)) + 1);
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
