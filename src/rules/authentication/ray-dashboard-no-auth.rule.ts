import { defineRule, type Violation } from '../../core/rule.js';
import { rayHeadExposures, rayHeadsOf, rayTokenAuthEnabled, unclaimedRayHeadDoors } from '../../platforms/ray.js';
import { ANY_KIND, SPEC_SOURCES } from '../rule-defaults.js';

export default defineRule({
  meta: {
    id: 'ray-dashboard-no-auth',
    title: 'Ray head dashboard and Jobs API exposed without token authentication',
    severity: 'critical',
    category: 'authentication',
    description:
      "A Ray head (KubeRay `RayCluster`, `RayJob`, `RayService`, or a pod running `ray start --head`) is reachable from outside the cluster — KubeRay `serviceType: LoadBalancer`/`NodePort`, `enableIngress: true`, a Service, Ingress, Gateway API or OpenShift route to it, or the head pod on the host network or publishing host ports (high) — while Ray's token authentication is off (no `authOptions.mode: token`, no `RAY_AUTH_MODE=token` as the last such entry on every container that runs Ray; Ray before 2.52 has no token auth and ignores both). A LoadBalancer, NodePort, Ingress or route to a Service that is a Ray head by its own marks (a `ray.io/node-type: head` selector, Ray images, the dashboard port 8265 or client port 10001) is reported on that entry even when the RayCluster is not in the scanned files: token auth is off unless configured, so what cannot be seen is judged at Ray's default. A Service on 8265 or 10001 none of whose workloads is in the scanned files, reached through a LoadBalancer, NodePort, Ingress or route, is a Ray head by its port alone (high, never critical, and the message says so); a scanned workload behind it that is not Ray keeps it silent.",
    rationale:
      "Ray's dashboard port (8265) also serves the Jobs API, which runs any submitted command on the cluster; without token auth it asks for no credentials. The ShadowRay campaign (CVE-2023-48022, disputed by Anyscale as \"by design\") used exactly this to run miners and steal cloud credentials from exposed Ray clusters. `critical` when open to anyone (LoadBalancer, Ingress), `high` when open to whoever reaches node addresses.",
    remediation:
      'Keep the head Service `ClusterIP` and reach the dashboard with `kubectl port-forward` or through an authenticating proxy; on Ray ≥ 2.52 with KubeRay ≥ 1.5.1 set `spec.authOptions.mode: token` (or `RAY_AUTH_MODE=token` with `RAY_AUTH_TOKEN` from a Secret).',
    references: [
      'https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/kuberay-auth.html',
      'https://docs.ray.io/en/latest/ray-security/index.html',
      'https://nvd.nist.gov/vuln/detail/CVE-2023-48022',
    ],
    mitre: ['T1190', 'T1133', 'T1496', 'MS-TA9005'],
    match: ANY_KIND,
    sources: SPEC_SOURCES,
    needs: { reads: '*', snapshot: 'optional', request: false, cost: 'moderate' },
  },
  *check(object, ctx): Iterable<Violation> {
    for (const door of unclaimedRayHeadDoors(object, ctx.inventory, ctx.config.lists)) {
      yield {
        message: `${door.subject} is reachable from outside the cluster (${door.how}) and nothing shows Ray's token auth on; its Jobs API runs any command it is sent.`,
        path: door.path,
        // A port is the author's to choose: on its own it proves too little for critical.
        severity: door.fromAnywhere && !door.byPortAlone ? 'critical' : 'high',
        evidence: door.evidence,
        discriminator: door.discriminator,
      };
    }
    for (const head of rayHeadsOf(object)) {
      if (rayTokenAuthEnabled(head)) continue;
      const exposures = rayHeadExposures(object, head, ctx.inventory, ctx.config.lists);
      if (exposures.length === 0) continue;
      const first = exposures[0];
      if (!first) continue;
      const fromAnywhere = exposures.some((e) => e.fromAnywhere);
      yield {
        message: `Ray head of "${head.clusterName}" is reachable from outside the cluster (${first.how}) without token authentication; its Jobs API runs any command it is sent.`,
        path: first.path,
        severity: fromAnywhere ? 'critical' : 'high',
        evidence: [...exposures.map((e) => e.how), 'no authOptions.mode: token and no RAY_AUTH_MODE=token'],
        discriminator: head.path,
      };
    }
  },
});
