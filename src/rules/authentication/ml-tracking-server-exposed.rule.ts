import { asString } from '../../core/object.js';
import { defineRule, NO_VIOLATIONS, type RuleContext, type Violation } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import type { Severity } from '../../core/severity.js';
import { commandWords, findFlags, mentions } from '../../k8s/command-line.js';
import { containersOf, type ContainerRef } from '../../k8s/workloads.js';
import { parseImageRef } from '../../k8s/image-ref.js';
import { reachabilityOf } from '../../exposure/workload-reachability.js';
import { ANY_KIND, SPEC_SOURCES } from '../rule-defaults.js';

interface TrackingServer {
  readonly product: 'MLflow' | 'TensorBoard';
  readonly severity: Severity;
}

export default defineRule({
  meta: {
    id: 'ml-tracking-server-exposed',
    title: 'MLflow or TensorBoard server reachable from outside without login',
    severity: 'high',
    category: 'authentication',
    description:
      'A workload runs an MLflow tracking server (`mlflow server` / `mlflow ui`, or an MLflow image) or TensorBoard, and a NodePort, LoadBalancer, Ingress, host port or unauthenticated gateway route reaches it. MLflow started with `--app-name` (its basic-auth plugin) is not reported; neither is a server reached only through an authenticating gateway.',
    rationale:
      "Neither server has authentication by default. An exposed MLflow server lets anyone read and overwrite experiments, registered models and artefact locations (a poisoned model then flows into serving), and several MLflow releases had path-traversal and file-read CVEs reachable without login. TensorBoard exposes training logs, hyper-parameters and sometimes data samples. MLflow is `high`, TensorBoard `medium`.",
    remediation:
      "Keep the Service `ClusterIP`, and reach the UI through an authenticating gateway (Kubeflow's, or oauth2-proxy) or `kubectl port-forward`. For MLflow, also enable `--app-name basic-auth` or the OIDC plugin.",
    references: [
      'https://mlflow.org/docs/latest/self-hosting/security/basic-http-auth/',
      'https://github.com/tensorflow/tensorboard/blob/master/README.md',
      'https://attack.mitre.org/techniques/T1133/',
    ],
    mitre: ['T1133', 'T1190', 'MS-TA9005'],
    match: ANY_KIND,
    sources: SPEC_SOURCES,
    needs: { reads: '*', snapshot: 'optional', request: false, cost: 'moderate' },
  },
  check(object, ctx): Iterable<Violation> {
    const servers = containersOf(object).flatMap((site) => {
      const server = trackingServerOf(site);
      return server ? [{ site, server }] : [];
    });
    return servers.length === 0 ? NO_VIOLATIONS : exposedServers(object, ctx, servers);
  },
});


function* exposedServers(object: K8sObject, ctx: RuleContext, servers: readonly { readonly site: ContainerRef; readonly server: TrackingServer }[]): Iterable<Violation> {
  const reach = reachabilityOf(object, ctx.inventory, ctx.config.lists);
  if (reach.verdict !== 'external') return;
  for (const { site, server } of servers) {
    yield {
      message: `${server.product} in container "${site.name}" is reachable from outside the cluster via ${reach.via.join(', ')}, and asks for no login.`,
      path: site.path,
      severity: server.severity,
      evidence: reach.via,
      discriminator: site.path,
    };
  }
}

function trackingServerOf(site: ContainerRef): TrackingServer | undefined {
  const repository = parseImageRef(asString(site.container.image) ?? '')?.repository ?? '';
  // Every test below needs "mlflow" or "tensorboard" in a word (a substring of an argument) or in
  // the repository; without either, the command is not split at all.
  if (!mentions(site.container, ['mlflow', 'tensorboard']) && !/mlflow|tensorboard/.test(repository)) return undefined;
  const words = commandWords(site.container, site.path);
  const plain = words.map((w) => w.word);
  // An MLflow image counts as a server unless its command runs another subcommand (`mlflow db upgrade`, `mlflow gc`).
  const mlflowAt = plain.findIndex((w) => w === 'mlflow' || w.endsWith('/mlflow'));
  const subcommand = mlflowAt === -1 ? undefined : plain[mlflowAt + 1];
  const runsMlflow = subcommand === 'server' || subcommand === 'ui';
  if (runsMlflow || (/(^|\/)mlflow($|[-/])/.test(repository) && mlflowAt === -1)) {
    if (findFlags(words, ['app-name']).length > 0) return undefined;
    return { product: 'MLflow', severity: 'high' };
  }
  const runsTensorboard = plain.some((w) => /(^|\/)tensorboard$/.test(w) || w === 'tensorboard.main');
  if (runsTensorboard || /(^|\/)tensorboard$/.test(repository)) return { product: 'TensorBoard', severity: 'medium' };
  return undefined;
}
