import { defineRule, NO_VIOLATIONS, type Violation } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import { imageOf, containersOf } from '../../k8s/workloads.js';
import { parseImageRef } from '../../k8s/image-ref.js';
import { floatingReason } from '../../k8s/image-tags.js';
import { mlWorkloadRole, type MlWorkloadRole } from '../../platforms/ml-workloads.js';
import { ANY_KIND, OBJECT_ONLY, OBJECT_SOURCES } from '../rule-defaults.js';

export default defineRule({
  meta: {
    id: 'image-floating-tag',
    title: 'Pipeline, notebook or training image uses a floating tag',
    severity: 'medium',
    category: 'supply-chain',
    description:
      'A container of a pipeline (Argo, KFP), notebook or training workload — or a Pod or controller labelled as one of their steps — names its image with no tag, `latest`, a `latest-*` / `*-latest` variant such as `latest-gpu`, or a tag with no version digits (`nightly`, `stable`, `gpu`). A digest (`@sha256:…`) pins the image whatever its tag says.',
    rationale:
      "A floating tag means the code that runs changes whenever someone pushes: a compromised or typosquatted upstream image flows straight into every new pipeline run, notebook and training job, which usually hold data-store credentials and GPUs. It also breaks reproducibility. `medium`, not `high`: the risk needs an upstream compromise, but ML images (`latest-gpu` especially) are routinely pulled this way.",
    remediation:
      'Pin a versioned tag (`tensorflow/tensorflow:2.15.0-gpu`) or, better, a digest (`…@sha256:…`), and update it deliberately (Renovate or Dependabot can do this).',
    references: [
      'https://kubernetes.io/docs/concepts/containers/images/#image-names',
      'https://www.kubeflow.org/docs/components/pipelines/user-guides/components/containerized-python-components/',
      'https://attack.mitre.org/techniques/T1525/',
    ],
    mitre: ['T1525', 'T1195.002', 'MS-TA9002'],
    match: ANY_KIND,
    sources: OBJECT_SOURCES,
    needs: OBJECT_ONLY,
    fixable: true,
  },
  check(object): Iterable<Violation> {
    const role = mlWorkloadRole(object);
    return role ? floatingTags(object, role) : NO_VIOLATIONS;
  },
});

function* floatingTags(object: K8sObject, role: MlWorkloadRole): Iterable<Violation> {
  for (const ref of containersOf(object)) {
    const image = imageOf(ref.container) ?? '';
    const parsed = parseImageRef(image);
    const reason = parsed ? floatingReason(parsed) : undefined;
    if (!reason) continue;
    yield {
      message: `${role[0]?.toUpperCase()}${role.slice(1)} container "${ref.name}" uses image ${image}: ${reason}, so what runs can change without any change to this manifest.`,
      path: `${ref.path}.image`,
      evidence: [image],
      discriminator: ref.path,
    };
  }
}
