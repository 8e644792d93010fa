import { defineRule, NO_VIOLATIONS, type RuleContext, type Violation } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import type { Severity } from '../../core/severity.js';
import { containersOf, type ContainerRef } from '../../k8s/workloads.js';
import { emptyTokenSettings } from '../../platforms/jupyter-token.js';
import { reachabilityOf } from '../../exposure/workload-reachability.js';
import { ANY_KIND, SPEC_SOURCES } from '../rule-defaults.js';

export default defineRule({
  meta: {
    id: 'jupyter-empty-token',
    title: 'Jupyter server starts without a token and is reachable without login',
    severity: 'high',
    category: 'authentication',
    description:
      "A Jupyter Notebook or Jupyter Server is started with an empty login token (`--NotebookApp.token=''`, `--ServerApp.token=\"\"`, the same flags inside `NOTEBOOK_ARGS`, or `c.ServerApp.token = ''` in a mounted config), and nothing in the scanned manifests puts an authenticating Kubeflow gateway in front of it.",
    rationale:
      'A Jupyter server without a token hands a Python shell and a terminal to whoever reaches it; exposed token-less notebooks are a routine entry point for cryptominer campaigns (TeamTNT "Silentbob", 2023). ' +
      "Kubeflow's own notebook images disable the token by design and rely on the Istio gateway's login, so a server that is reached only through that gateway is not reported. " +
      'The finding is `high` when a NodePort, LoadBalancer, Ingress, host port or unauthenticated gateway route reaches the server, and `medium` when the scanned set shows no route at all: every pod in the cluster can still open it.',
    remediation:
      'Remove the empty `token` setting so Jupyter generates one, or set a token from a Secret (`JUPYTER_TOKEN`). If the notebook must be shared, put it behind the Kubeflow gateway (a `Notebook` resource) or an authenticating proxy instead of a NodePort or LoadBalancer.',
    references: [
      'https://jupyter-server.readthedocs.io/en/latest/operators/security.html',
      'https://www.kubeflow.org/docs/components/notebooks/container-images/',
      'https://attack.mitre.org/techniques/T1133/',
    ],
    mitre: ['T1133', 'T1190', 'MS-TA9005'],
    match: ANY_KIND,
    sources: SPEC_SOURCES,
    needs: { reads: '*', snapshot: 'optional', request: false, cost: 'moderate' },
    fixable: true,
  },
  check(object, ctx): Iterable<Violation> {
    const sites = containersOf(object);
    const settings = sites.flatMap((site) => emptyTokenSettings(site, object, ctx.inventory).map((setting) => ({ site, setting })));
    return settings.length === 0 ? NO_VIOLATIONS : emptyTokenViolations(object, ctx, settings);
  },
});


function* emptyTokenViolations(object: K8sObject, ctx: RuleContext, settings: readonly { readonly site: ContainerRef; readonly setting: ReturnType<typeof emptyTokenSettings>[number] }[]): Iterable<Violation> {
  const reach = reachabilityOf(object, ctx.inventory, ctx.config.lists);
  if (reach.verdict === 'gateway-authenticated') return;
  const severity: Severity = reach.verdict === 'external' ? 'high' : 'medium';
  const where =
    reach.verdict === 'external'
      ? `reachable from outside the cluster via ${reach.via.join(', ')}`
      : reach.verdict === 'internal'
        ? 'reachable by every pod in the cluster'
        : 'with no authenticating gateway in front of it in the scanned manifests';
  for (const { site, setting } of settings) {
    yield {
      message: `Container "${site.name}" starts Jupyter with an empty token, ${where}; anyone who reaches it gets a shell.`,
      path: setting.path,
      severity,
      evidence: [setting.written, ...reach.via],
      discriminator: setting.path,
    };
  }
}
