import { asString } from '../../core/object.js';
import { defineRule, type Violation } from '../../core/rule.js';
import { commandWords, findFlags, isEnabled } from '../../k8s/command-line.js';
import { containersOf, type ContainerRef } from '../../k8s/workloads.js';
import { parseImageRef } from '../../k8s/image-ref.js';
import { ANY_KIND, OBJECT_ONLY, OBJECT_SOURCES } from '../rule-defaults.js';

/** Each flag and what it gives away, from the Dashboard's dashboard-arguments documentation. */
const BYPASS_FLAGS: Readonly<Record<string, string>> = {
  'enable-skip-login': 'shows a "Skip" button that logs in as the Dashboard\'s own service account',
  'enable-insecure-login': 'accepts logins over plain HTTP, so tokens cross the network in clear text',
  'disable-settings-authorizer': 'lets any user change the Dashboard\'s global settings',
};

export default defineRule({
  meta: {
    id: 'kubernetes-dashboard-auth-bypass',
    title: 'Kubernetes Dashboard allows skipping or weakening login',
    severity: 'high',
    category: 'authentication',
    description:
      'The Kubernetes Dashboard runs with `--enable-skip-login`, `--enable-insecure-login` or `--disable-settings-authorizer`.',
    rationale:
      'With `--enable-skip-login` anyone who reaches the Dashboard acts as its service account, which add-on installs often bind to broad roles; the 2018 Tesla cryptojacking incident started at a Dashboard that asked for no password. `--enable-insecure-login` sends bearer tokens over HTTP; `--disable-settings-authorizer` lets every visitor change settings. Skip-login is `high`, the other two `medium`.',
    remediation:
      'Remove the flags, serve the Dashboard over HTTPS only, and require a bearer token or an authenticating proxy. Never bind the Dashboard service account to cluster-admin.',
    references: [
      'https://github.com/kubernetes/dashboard/blob/master/docs/common/arguments.md',
      'https://attack.mitre.org/techniques/T1133/',
      'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Exposed%20sensitive%20interfaces/',
    ],
    mitre: ['T1133', 'T1610', 'MS-TA9005'],
    match: ANY_KIND,
    sources: OBJECT_SOURCES,
    needs: OBJECT_ONLY,
    fixable: true,
  },
  *check(object): Iterable<Violation> {
    for (const site of containersOf(object)) {
      if (!isDashboard(site)) continue;
      for (const use of findFlags(commandWords(site.container, site.path), Object.keys(BYPASS_FLAGS), false)) {
        if (!isEnabled(use)) continue;
        yield {
          message: `Kubernetes Dashboard container "${site.name}" runs with --${use.flag}, which ${BYPASS_FLAGS[use.flag] ?? 'weakens login'}.`,
          path: use.path,
          severity: use.flag === 'enable-skip-login' ? 'high' : 'medium',
          evidence: [use.written],
          discriminator: use.flag,
        };
      }
    }
  },
});

function isDashboard(site: ContainerRef): boolean {
  const image = parseImageRef(asString(site.container.image) ?? '');
  if (image) return /(^|\/)(kubernetes-)?dashboard(-amd64|-arm64|-api|-web|-auth)?$/.test(image.repository);
  return site.name.includes('dashboard');
}
