import { defineRule, NO_VIOLATIONS, type Violation } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import { appendedList, ruleOptionsOf } from '../../core/rule-options.js';
import { containersOf, imageOf } from '../../k8s/workloads.js';
import { parseImageRef, qualifiedName } from '../../k8s/image-ref.js';
import { ANY_KIND, OBJECT_ONLY, OBJECT_SOURCES } from '../rule-defaults.js';

const RULE_ID = 'image-registry-not-allowed';

/** `rules.image-registry-not-allowed.options`: registry hosts or host/path prefixes images may come from. */
interface RegistryOptions {
  readonly allowed?: readonly string[];
}

export default defineRule({
  meta: {
    id: RULE_ID,
    title: 'Image comes from a registry outside the allow-list',
    severity: 'medium',
    category: 'supply-chain',
    description:
      'A container image comes from a registry (or repository prefix) not listed in `rules.image-registry-not-allowed.options.allowed` of `.kfguard.yaml`. Entries are a registry host (`ghcr.io`, `registry.example.com:5000`) or a path prefix (`docker.io/kubeflownotebookswg`); images with no registry are `docker.io` images. The rule is silent while the list is empty.',
    rationale:
      'Miner campaigns against ML clusters pull from throw-away Docker Hub accounts; an allow-list turns "any image from anywhere" into "images from registries we mirror and scan". This rule lets the policy be checked before deployment, alongside an admission controller that enforces it.',
    remediation:
      'Mirror the image into an allowed registry and reference it there, or add the registry to `rules.image-registry-not-allowed.options.allowed` if it is trusted.',
    references: [
      'https://kubernetes.io/docs/concepts/containers/images/',
      'https://kyverno.io/policies/best-practices/restrict-image-registries/restrict-image-registries/',
      'https://attack.mitre.org/techniques/T1204/003/',
    ],
    mitre: ['T1204.003', 'T1525', 'MS-TA9002'],
    match: ANY_KIND,
    sources: OBJECT_SOURCES,
    needs: OBJECT_ONLY,
    options: (zod) => zod.strictObject({ allowed: appendedList(zod) }),
  },
  check(object, ctx): Iterable<Violation> {
    const allowed = (ruleOptionsOf<RegistryOptions>(ctx.config, RULE_ID)?.allowed ?? []).map((entry) => entry.trim().replace(/\/+$/, '').toLowerCase()).filter(Boolean);
    return allowed.length === 0 ? NO_VIOLATIONS : unlistedRegistries(object, allowed);
  },
});


function* unlistedRegistries(object: K8sObject, allowed: readonly string[]): Iterable<Violation> {
  for (const ref of containersOf(object)) {
    const image = imageOf(ref.container) ?? '';
    const parsed = parseImageRef(image);
    if (!parsed) continue;
    const name = qualifiedName(parsed).toLowerCase();
    if (allowed.some((entry) => name === entry || name.startsWith(`${entry}/`))) continue;
    yield {
      message: `Container "${ref.name}" pulls ${image} from ${parsed.registry}, which is not in the allowed registries.`,
      path: `${ref.path}.image`,
      evidence: [image, `allowed: ${allowed.join(', ')}`],
      discriminator: ref.path,
    };
  }
}
