import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { nameOf, namespaceOf } from '../../src/core/object.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import { resolveService } from '../../src/exposure/analysis.js';
import { entryRoutesOf } from '../../src/exposure/entry-points.js';
import { recognizeBackend } from '../../src/exposure/targets.js';
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
  /** The prefix the install's VirtualService routes to it, used for Ingress and HTTPRoute doors too. */
  readonly prefix: string;
  /** Marks the component does not carry in this layout (the old dashboard reads no ConfigMap through its pod spec). */
  readonly without?: readonly string[];
}

const COMPONENTS: readonly Component[] = [
  { label: 'Kubeflow Central Dashboard', namespace: 'kubeflow', deployment: 'dashboard', service: 'dashboard', virtualService: 'dashboard', prefix: '/' },
  { label: 'Kubeflow Pipelines UI', namespace: 'kubeflow', deployment: 'ml-pipeline-ui', service: 'ml-pipeline-ui', virtualService: 'ml-pipeline-ui', prefix: '/pipeline' },
  {
    label: 'Kubeflow Model Registry REST API',
    namespace: 'kubeflow-user-example-com',
    deployment: 'model-registry-deployment',
    service: 'model-registry-service',
    virtualService: 'model-registry',
    prefix: '/api/model_registry/',
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
  { label: 'Kubeflow Central Dashboard', namespace: 'kubeflow', deployment: 'centraldashboard', service: 'centraldashboard', virtualService: 'centraldashboard', prefix: '/', without: ['ConfigMaps'] },
  { label: 'Kubeflow Pipelines UI', namespace: 'kubeflow', deployment: 'ml-pipeline-ui', service: 'ml-pipeline-ui', virtualService: 'ml-pipeline-ui', prefix: '/pipeline' },
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

type Door = 'Ingress' | 'HTTPRoute';
const DOOR_ORIGIN = { kind: 'file' as const, reader: 'file' as const, file: 'door.yaml' };

/**
 * A door straight to the component, past the Kubeflow gateway, at the prefix the install routes it
 * on (an ingress-nginx rewrite path for the Ingress, a PathPrefix match for the HTTPRoute).
 */
function withDoor(objects: Objects, c: Component, door: Door, prefix: string): Objects {
  const service = objects.some((s) => s.object.kind === 'Service' && namespaceOf(s.object) === c.namespace && nameOf(s.object) === c.service) ? c.service : 'renamed-app';
  const metadata = { name: 'public-door', namespace: c.namespace };
  if (door === 'Ingress') {
    const path = prefix === '/' ? '/' : `${prefix.replace(/\/$/, '')}(/|$)(.*)`;
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { ...metadata, annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' } },
      spec: { ingressClassName: 'nginx', rules: [{ http: { paths: [{ path, pathType: 'ImplementationSpecific', backend: { service: { name: service, port: { number: 80 } } } }] } }] },
    };
    return [...objects, { object: ingress as K8sObject, origin: DOOR_ORIGIN }];
  }
  const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata, spec: { gatewayClassName: 'example', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
  const route = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata,
    spec: { parentRefs: [{ name: 'public-door' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: prefix } }], backendRefs: [{ name: service, port: 80 }] }] },
  };
  return [...objects, { object: gateway as K8sObject, origin: DOOR_ORIGIN }, { object: route as K8sObject, origin: DOOR_ORIGIN }];
}

/** The same renames with the component reached through an Ingress or HTTPRoute; the VirtualService rename becomes the door's own prefix. */
function doorTests(components: readonly Component[], installOf: () => Objects, door: Door): void {
  for (const component of components) {
    it(`${component.label} behind a direct ${door} is critical`, () => {
      assert.deepEqual(severityOf(withDoor(installOf(), component, door, component.prefix), component.label), ['critical']);
    });
    for (const [mark, rename] of Object.entries(RENAMES)) {
      if (component.without?.includes(mark)) continue;
      const prefixRenamed = mark === 'VirtualService prefix';
      it(`${component.label} behind a direct ${door} stays critical with its ${prefixRenamed ? `${door} path` : mark} renamed`, () => {
        const renamed = prefixRenamed ? withDoor(installOf(), component, door, '/renamed/') : withDoor(rename(installOf(), component), component, door, component.prefix);
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

describe('Ingress and HTTPRoute doors straight to the components: the door path is a mark as well', requiresShared(), () => {
  let oldInstall: Objects = [];
  let newInstall: Objects = [];
  before(async () => {
    oldInstall = await load(OLD_INSTALL);
    newInstall = await load(NEW_INSTALL);
  });
  for (const door of ['Ingress', 'HTTPRoute'] as const) {
    describe(`old layout, ${door}`, () => doorTests(OLD_COMPONENTS, () => oldInstall, door));
    describe(`new layout, ${door}`, () => doorTests(COMPONENTS, () => newInstall, door));
  }

  for (const door of ['Ingress', 'HTTPRoute'] as const) {
    it(`a ${door} path is read as a route mark (ingress-nginx regex paths up to the regex)`, () => {
      const registry = COMPONENTS[2] as Component;
      const objects = withDoor(newInstall, registry, door, registry.prefix);
      const entries = entryRoutesOf(buildInventory(objects), {}).filter((e) => e.backendName === registry.service);
      assert.deepEqual(entries.map((e) => e.requestPath), ['/api/model_registry/']);
      const backend = resolveService(buildInventory(objects), registry.namespace, registry.service);
      assert.ok(recognizeBackend(backend, entries[0]?.requestPath)?.marks.includes('route prefix'));
      assert.ok(!recognizeBackend(backend, '/renamed/')?.marks.includes('route prefix'));
    });
  }
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
