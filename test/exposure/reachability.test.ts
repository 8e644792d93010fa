import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { externalReachability } from '../../src/exposure/reachability.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { load, setServiceType, withChanged } from './helpers.js';

const scanned = (text: string): ScannedObject[] =>
  yaml.loadAll(text).map((object) => ({ object: object as K8sObject, origin: { kind: 'file' as const, reader: 'file' as const, file: 'test.yaml' } }));

const JUPYTER = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: lab, namespace: ds }
spec:
  selector: { matchLabels: { app: lab } }
  template:
    metadata: { labels: { app: lab } }
    spec: { containers: [{ name: lab, image: 'jupyter/base-notebook:2024', args: [start-notebook.sh, "--NotebookApp.token=''"] }] }
---
apiVersion: v1
kind: Service
metadata: { name: lab, namespace: ds }
spec: { type: SERVICE_TYPE, selector: { app: lab } }
`;

describe('externalReachability', () => {
  it('a ClusterIP-only workload is not reachable', () => {
    const objects = scanned(JUPYTER.replace('SERVICE_TYPE', 'ClusterIP'));
    const result = externalReachability(buildInventory(objects), objects[0]!.object, {});
    assert.equal(result.reachable, false);
    assert.equal(result.onlyThroughAuthenticatingGateway, false);
  });

  it('a NodePort to the workload is an unauthenticated path, found from the workload and from the Service', () => {
    const objects = scanned(JUPYTER.replace('SERVICE_TYPE', 'NodePort'));
    const inventory = buildInventory(objects);
    for (const object of [objects[0]!.object, objects[1]!.object]) {
      const result = externalReachability(inventory, object, {});
      assert.equal(result.reachable, true);
      assert.equal(result.onlyThroughAuthenticatingGateway, false);
      assert.equal(result.unauthenticatedPaths.length, 1);
      assert.equal(result.paths[0]?.reach.level, 'nodes');
    }
  });
});

describe('externalReachability on the stock install', requiresShared(), () => {
  it('the dashboard is unreachable as shipped, and only through the authenticating gateway once it is a LoadBalancer', async () => {
    const stock = await load(sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml'));
    const dashboardOf = (objects: readonly ScannedObject[]): K8sObject =>
      objects.find((s) => s.object.kind === 'Deployment' && s.object.metadata?.name === 'centraldashboard')!.object;
    assert.equal(externalReachability(buildInventory(stock), dashboardOf(stock), {}).reachable, false);

    const exposed = withChanged(stock, 'Service', 'istio-system', 'istio-ingressgateway', setServiceType('LoadBalancer'));
    const result = externalReachability(buildInventory(exposed), dashboardOf(exposed), {});
    assert.equal(result.reachable, true);
    assert.equal(result.onlyThroughAuthenticatingGateway, true);
    assert.equal(result.paths[0]?.viaGateway, true);
  });
});
