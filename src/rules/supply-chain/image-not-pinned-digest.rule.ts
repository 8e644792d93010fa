import { defineRule, NO_VIOLATIONS, type Violation } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import { containersOf, imageOf } from '../../k8s/workloads.js';
import { parseImageRef } from '../../k8s/image-ref.js';
import { floatingReason } from '../../k8s/image-tags.js';
import { mlWorkloadRole } from '../../platforms/ml-workloads.js';
import { ANY_KIND, OBJECT_ONLY, OBJECT_SOURCES } from '../rule-defaults.js';

export default defineRule({
  meta: {
    id: 'image-not-pinned-digest',
    title: 'Pipeline, notebook or training images are not pinned by digest',
    severity: 'info',
    category: 'supply-chain',
    description:
      'A pipeline, notebook or training workload runs images named by a versioned tag but no digest. Images with floating tags are left to `image-floating-tag`; this rule reports once per object, listing every image that lacks a digest.',
    rationale:
      'Tags are mutable: whoever can push to the repository (or compromises it) can move `v2.2.0` to new content, and every later pull runs it. A digest is the only reference that names fixed content. The severity is `info` because versioned tags from a trusted registry are the norm, including in the stock Kubeflow install; it is a hardening step, not a defect.',
    remediation:
      'Append the digest to each image (`ghcr.io/kubeflow/trainer/torchtune-trainer:v2.2.0@sha256:…`), for example with `crane digest` or kustomize `images: [{ name, digest }]`, and let a bot refresh it.',
    references: [
      'https://kubernetes.io/docs/concepts/containers/images/#image-names',
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/',
      'https://slsa.dev/spec/v1.0/threats',
    ],
    mitre: ['T1525', 'T1195.002', 'MS-TA9002'],
    match: ANY_KIND,
    sources: OBJECT_SOURCES,
    needs: OBJECT_ONLY,
    fixable: true,
  },
  check(object): Iterable<Violation> {
    return mlWorkloadRole(object) ? unpinnedImages(object) : NO_VIOLATIONS;
  },
});

function* unpinnedImages(object: K8sObject): Iterable<Violation> {
  const unpinned = containersOf(object).filter((ref) => {
    const parsed = parseImageRef(imageOf(ref.container) ?? '');
    return parsed !== undefined && parsed.digest === undefined && floatingReason(parsed) === undefined;
  });
  const first = unpinned[0];
  if (!first) return;
  const images = [...new Set(unpinned.map((ref) => imageOf(ref.container) ?? ''))];
  yield {
    message: `${images.length} image${images.length === 1 ? '' : 's'} of this workload ${images.length === 1 ? 'is' : 'are'} named by tag without a digest: ${images.join(', ')}.`,
    path: `${first.path}.image`,
    evidence: images,
  };
}
