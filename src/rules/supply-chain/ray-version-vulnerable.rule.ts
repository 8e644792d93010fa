import { defineRule, type Violation } from '../../core/rule.js';
import { vulnerableRaySites } from '../../platforms/ray-versions.js';
import { ANY_KIND, OBJECT_ONLY, OBJECT_SOURCES } from '../rule-defaults.js';

export default defineRule({
  meta: {
    id: 'ray-version-vulnerable',
    title: 'Ray release with a known exploited flaw',
    severity: 'high',
    category: 'supply-chain',
    description:
      'A container runs a Ray image (`rayproject/ray`, `-ml`, `-llm`, or Anyscale\'s) whose tag is older than the release that fixes a known exploited flaw, or a container pip-installs such a pinned Ray at start (`ray[default]==2.9.3` in its command or arguments), or a KubeRay `RayCluster`, `RayJob` or `RayService` declares such a `rayVersion`. The advisories are data (`data/lists/ray-vulnerable-versions.yaml`): today CVE-2025-62593, fixed in Ray 2.52.0. Reported wherever the head runs, exposed or not; `ray-dashboard-no-auth` judges the exposure.',
    rationale:
      'Before 2.52.0 the Ray dashboard accepts job submissions that a web page in a developer\'s browser sends it (its browser-request check can be bypassed, and DNS rebinding reaches a dashboard on localhost or a port-forward), and a job runs any command with the cluster\'s credentials. CISA lists CVE-2025-62593 as exploited. An internal dashboard is therefore not safe on an old release.',
    remediation:
      'Upgrade to Ray 2.52.0 or later (image tag and KubeRay `rayVersion`), and turn on token authentication (`RAY_AUTH_MODE=token`, or KubeRay `spec.authOptions.mode: token`).',
    references: [
      'https://nvd.nist.gov/vuln/detail/CVE-2025-62593',
      'https://www.cisa.gov/known-exploited-vulnerabilities-catalog',
      'https://docs.ray.io/en/latest/ray-security/token-auth.html',
    ],
    mitre: ['T1190', 'T1189', 'T1496'],
    match: ANY_KIND,
    sources: OBJECT_SOURCES,
    needs: OBJECT_ONLY,
  },
  *check(object): Iterable<Violation> {
    for (const site of vulnerableRaySites(object)) {
      const fixed = site.advisory.fixedIn.join('.');
      yield {
        message: `Ray ${site.version.join('.')} (${site.text}) is older than ${fixed}, which fixes ${site.advisory.id}: ${site.advisory.summary}.`,
        path: site.path,
        evidence: [site.text, `${site.advisory.id} fixed in ${fixed}`, site.advisory.source],
        discriminator: `${site.advisory.id}|${site.path}`,
      };
    }
  },
});
