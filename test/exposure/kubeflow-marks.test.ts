import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { nameOf, namespaceOf } from '../../src/core/object.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { load, scan, setServiceType, withChanged, without } from './helpers.js';

/**
 * The exposed variant of each Kubeflow example install (ingress gateway switched to LoadBalancer,
 * the oauth2-proxy chain removed), built here from the corpus files: the new
 * kubeflow/community-distribution layout and the old kubeflow/manifests one. Each recognition mark
 * of the dashboard, the KFP UI and (new layout) the Model Registry REST API is renamed in turn;
 * the target must stay critical on every rename, because the other marks still name it.
 */
const NEW_INSTALL = sharedPath('corpus', 'kubeflow-cd', 'kubeflow-cd-example-install.yaml');
const OLD_INSTALL = sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');

interface Component {
  readonly label: string;
  readonly namespace: string;
  readonly deployment: string;
  readonly service: string;
  readonly virtualService: string;
  /** Marks the component does not carry in this layout (the old dashboard reads no ConfigMap through its pod spec). */
  readonly without?: readonly string[];
}

const COMPONENTS: readonly Component[] = [
  { label: 'Kubeflow Central Dashboard', namespace: 'kubeflow', deployment: 'dashboard', service: 'dashboard', virtualService: 'dashboard' },
  { label: 'Kubeflow Pipelines UI', namespace: 'kubeflow', deployment: 'ml-pipeline-ui', service: 'ml-pipeline-ui', virtualService: 'ml-pipeline-ui' },
  {
    label: 'Kubeflow Model Registry REST API',
    namespace: 'kubeflow-user-example-com',
    deployment: 'model-registry-deployment',
    service: 'model-registry-service',
    virtualService: 'model-registry',
  },
];

type Objects = ScannedObject[];
type Mutable = Record<string, unknown> & K8sObject;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function exposedVariant(objects: Objects): Objects {
  let changed = without(objects, 'AuthorizationPolicy', 'istio-system', ['istio-ingressgateway-oauth2-proxy', 'istio-ingressgateway-require-jwt']);
  changed = without(changed, 'RequestAuthentication', 'istio-system', ['dex-jwt']);
  return withChanged(changed, 'Service', 'istio-system', 'istio-ingressgateway', setServiceType('LoadBalancer'));
}

function podSpec(deployment: Mutable): Loose {
  return (deployment.spec as Loose).template.spec;
}

/** Each mark's rename, done the way a fork or an overlay would do it, keeping the install working. */
const RENAMES: Readonly<Record<string, (objects: Objects, c: Component) => Objects>> = {
  'image repository': (objects, c) =>
    withChanged(objects, 'Deployment', c.namespace, c.deployment, (d) => {
      for (const container of podSpec(d).containers) container.image = 'registry.example.com/fork/app:1.0';
    }),
  'Deployment, Service and container names': (objects, c) => {
    let changed = withChanged(objects, 'Deployment', c.namespace, c.deployment, (d) => {
      (d.metadata as Loose).name = 'renamed-app';
      for (const container of podSpec(d).containers) container.name = 'app';
    });
    changed = withChanged(changed, 'Service', c.namespace, c.service, (s) => {
      (s.metadata as Loose).name = 'renamed-app';
    });
    return withChanged(changed, 'VirtualService', c.namespace, c.virtualService, (vs) => {
      for (const http of (vs.spec as Loose).http) for (const route of http.route) route.destination.host = `renamed-app.${c.namespace}.svc.cluster.local`;
    });
  },
  labels: (objects, c) => {
    const changed = withChanged(objects, 'Deployment', c.namespace, c.deployment, (d) => {
      (d.metadata as Loose).labels = { tier: 'renamed' };
      (d.spec as Loose).selector = { matchLabels: { tier: 'renamed' } };
      (d.spec as Loose).template.metadata.labels = { tier: 'renamed', 'sidecar.istio.io/inject': 'true' };
    });
    return withChanged(changed, 'Service', c.namespace, c.service, (s) => {
      (s.metadata as Loose).labels = { tier: 'renamed' };
      (s.spec as Loose).selector = { tier: 'renamed' };
    });
  },
  ports: (objects, c) => {
    const changed = withChanged(objects, 'Deployment', c.namespace, c.deployment, (d) => {
      for (const container of podSpec(d).containers) container.ports = [{ containerPort: 9999, name: 'http' }];
    });
    return withChanged(changed, 'Service', c.namespace, c.service, (s) => {
      for (const port of (s.spec as Loose).ports) port.targetPort = 9999;
    });
  },
  'VirtualService prefix': (objects, c) =>
    withChanged(objects, 'VirtualService', c.namespace, c.virtualService, (vs) => {
      for (const http of (vs.spec as Loose).http) for (const match of http.match ?? []) match.uri = { prefix: '/renamed/' };
    }),
  ConfigMaps: (objects, c) =>
    withChanged(objects, 'Deployment', c.namespace, c.deployment, (d) => {
      const spec = podSpec(d);
      for (const container of spec.containers) {
        for (const from of container.envFrom ?? []) if (from.configMapRef) from.configMapRef.name = 'renamed-config';
        for (const env of container.env ?? []) if (env.valueFrom?.configMapKeyRef) env.valueFrom.configMapKeyRef.name = 'renamed-config';
      }
      for (const volume of spec.volumes ?? []) if (volume.configMap) volume.configMap.name = 'renamed-config';
    }),
};

function severityOf(objects: Objects, label: string): string[] {
  return scan(objects)
    .filter((f) => f.ruleId === 'kubeflow-dashboard-exposed' && f.message.startsWith(`${label} (`))
    .map((f) => f.severity);
}

const OLD_COMPONENTS: readonly Component[] = [
  { label: 'Kubeflow Central Dashboard', namespace: 'kubeflow', deployment: 'centraldashboard', service: 'centraldashboard', virtualService: 'centraldashboard', without: ['ConfigMaps'] },
  { label: 'Kubeflow Pipelines UI', namespace: 'kubeflow', deployment: 'ml-pipeline-ui', service: 'ml-pipeline-ui', virtualService: 'ml-pipeline-ui' },
];

function marksTests(components: readonly Component[], exposedOf: () => Objects): void {
  for (const component of components) {
    it(`${component.label} is critical as rendered`, () => {
      assert.deepEqual(severityOf(exposedOf(), component.label), ['critical']);
    });
    for (const [mark, rename] of Object.entries(RENAMES)) {
      if (component.without?.includes(mark)) continue;
      it(`${component.label} stays critical with its ${mark} renamed`, () => {
        const exposed = exposedOf();
        const renamed = rename(exposed, component);
        assert.notDeepEqual(renamed, exposed);
        assert.deepEqual(severityOf(renamed, component.label), ['critical']);
      });
    }
  }
}

describe('old kubeflow/manifests exposed variant: every recognition mark can be renamed', requiresShared(), () => {
  let exposed: Objects = [];
  before(async () => {
    exposed = exposedVariant(await load(OLD_INSTALL));
  });
  marksTests(OLD_COMPONENTS, () => exposed);
});

describe('kubeflow-cd exposed variant: every recognition mark can be renamed', requiresShared(), () => {
  let exposed: Objects = [];
  before(async () => {
    exposed = exposedVariant(await load(NEW_INSTALL));
  });
  marksTests(COMPONENTS, () => exposed);

  it('the Model Registry REST API is told apart from the model catalog, which runs the same server image', () => {
    const catalog = exposed.find((s) => s.object.kind === 'Deployment' && nameOf(s.object) === 'model-catalog-server' && namespaceOf(s.object) === 'kubeflow');
    assert.ok(catalog, 'the install has the model catalog');
    assert.equal(severityOf(exposed, 'Kubeflow Model Registry REST API').length, 1, 'only the registry, not the catalog, is the REST API');
    // The catalog is not routed by the gateway; made a LoadBalancer it is the catalog, at most medium.
    const findings = scan(withChanged(exposed, 'Service', 'kubeflow', 'model-catalog', setServiceType('LoadBalancer')));
    const catalogFindings = findings.filter((f) => f.message.startsWith('Kubeflow model catalog (Service model-catalog)'));
    assert.deepEqual(catalogFindings.map((f) => `${f.ruleId} ${f.severity}`), ['ml-service-exposed medium']);
  });

  it('with every mark of the dashboard renamed at once it is no longer recognised (the marks carry the recognition)', () => {
    const dashboard = COMPONENTS[0] as Component;
    let renamed = exposed;
    for (const [mark, rename] of Object.entries(RENAMES)) if (mark !== 'Deployment, Service and container names') renamed = rename(renamed, dashboard);
    renamed = (RENAMES['Deployment, Service and container names'] as (o: Objects, c: Component) => Objects)(renamed, dashboard);
    assert.deepEqual(severityOf(renamed, dashboard.label), []);
  });
});
