import { asString } from '../../core/object.js';
import { defineRule, type Violation } from '../../core/rule.js';
import { commandWords, findFlags } from '../../k8s/command-line.js';
import { containersOf, type ContainerRef } from '../../k8s/workloads.js';
import { imageBaseName, parseImageRef, tagVersion } from '../../k8s/image-ref.js';
import { ANY_KIND, OBJECT_ONLY, OBJECT_SOURCES } from '../rule-defaults.js';

/** Argo Server defaulted to `--auth-mode=server` before v3.0 (argo-workflows docs/upgrading.md, v3.0). */
const CLIENT_DEFAULT_SINCE_MAJOR = 3;

export default defineRule({
  meta: {
    id: 'argo-server-auth-mode-server',
    title: 'Argo Server accepts requests without a login (auth mode "server")',
    severity: 'high',
    category: 'authentication',
    description:
      'The Argo Server runs with `--auth-mode=server` (or `--auth-mode server`), or the v2 `hybrid` mode that serves requests without a token as the server, or runs a version older than v3.0 with no `--auth-mode` at all, when `server` was the default.',
    rationale:
      "In `server` mode Argo Server answers every request with its own service account's permissions and asks for no credentials: whoever reaches the UI or API can submit workflows that run arbitrary containers, read logs and artefacts. Microsoft's Threat Matrix lists Argo Workflows among the exposed interfaces seen exploited (MS-TA9005). Listing `server` next to `client` or `sso` still lets anyone pick the no-login option.",
    remediation:
      'Run Argo Server with `--auth-mode=sso` (or `client`) only, and remove every `--auth-mode=server`. When upgrading from v2, set the mode explicitly instead of relying on the default.',
    references: [
      'https://argo-workflows.readthedocs.io/en/latest/argo-server-auth-mode/',
      'https://github.com/argoproj/argo-workflows/blob/main/docs/upgrading.md',
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
      if (!isArgoServer(site)) continue;
      const words = commandWords(site.container, site.path);
      const modes = findFlags(words, ['auth-mode']);
      for (const use of modes) {
        // v2.x `hybrid` served token-less requests as the server's account, like `server`.
        if (use.value !== 'server' && use.value !== 'hybrid') continue;
        yield {
          message: `Container "${site.name}" runs Argo Server with auth mode "${use.value}": requests need no login and act with the server's service account.`,
          path: use.path,
          evidence: [use.written],
          discriminator: use.path,
        };
      }
      if (modes.length > 0) continue;
      const image = parseImageRef(asString(site.container.image) ?? '');
      const version = tagVersion(image?.tag);
      if (version && version.major < CLIENT_DEFAULT_SINCE_MAJOR) {
        yield {
          message: `Container "${site.name}" runs Argo Server ${image?.tag} with no --auth-mode; before v3.0 the default was "server", which needs no login.`,
          path: `${site.path}.image`,
          evidence: [`image ${image?.raw}`, 'no --auth-mode flag'],
        };
      }
    }
  },
});

function isArgoServer(site: ContainerRef): boolean {
  // The image (or, without one, the name) decides first: it is cheap, and almost no container passes.
  const image = asString(site.container.image);
  if (image === undefined) {
    if (!site.name.includes('argo-server')) return false;
  } else {
    const ref = parseImageRef(image);
    if (ref === undefined || imageBaseName(ref) !== 'argocli') return false;
  }
  return commandWords(site.container, site.path).some((w) => w.word === 'server');
}
