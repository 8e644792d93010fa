import { asString } from '../../core/object.js';
import { planOf, type Fixer, type ObjectEdit } from '../types.js';
import { containersOf } from '../../k8s/workloads.js';
import { segmentsOf, targetContainers } from './targets.js';

// Obviously fake: pulling it fails, so an unreviewed fix can never run a different image.
export const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;

/** `repo:tag` stays readable and gains a digest the operator must fill in (e.g. `crane digest repo:tag`). */
export function withPlaceholderDigest(image: string): string {
  const at = image.indexOf('@');
  const base = at === -1 ? image : image.slice(0, at);
  return `${base}@${PLACEHOLDER_DIGEST}`;
}

/** Pins the pointed container, and every container whose image the finding lists as evidence. */
export const imageDigestFixer: Fixer = {
  summary: 'pin the image to a digest (placeholder to fill in)',
  plan({ object, finding }) {
    const edits: ObjectEdit[] = [];
    const notes: string[] = [];
    const named = new Set(finding.evidence);
    const sites = [...targetContainers(object, finding), ...containersOf(object).filter((site) => named.has(asString(site.container.image) ?? ''))];
    for (const ref of new Set(sites)) {
      const image = asString(ref.container.image);
      // An image that already carries a digest is pinned; never overwrite a real digest.
      if (image === undefined || image.includes('@')) continue;
      edits.push({
        op: 'set',
        path: [...segmentsOf(ref.path), 'image'],
        value: withPlaceholderDigest(image),
        comment: ` kfguard: placeholder digest, replace with: crane digest ${image}`,
      });
      notes.push(`replace the placeholder digest of ${image} (crane digest ${image} or docker buildx imagetools inspect ${image})`);
    }
    return edits.length > 0 ? planOf({ edits, notes }) : undefined;
  },
};
