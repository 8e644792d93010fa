import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { containersOf, podSpecsOf, runsCodeOutsideContainers, workflowPodSettingsOf } from '../../src/k8s/workloads.js';
import argoServerAuthModeServer from '../../src/rules/authentication/argo-server-auth-mode-server.rule.js';
import podPrivileged from '../../src/rules/workload-security/pod-privileged.rule.js';
import { runCase } from '../../src/testing/rule-tester.js';

const obj = (apiVersion: string, kind: string, spec: unknown): K8sObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'argo' }, spec });

/** A kustomize patch of the Argo quick-start: the container is named, the image comes from the base. */
const ARGO_SERVER_PATCH = obj('apps/v1', 'Deployment', {
  template: {
    spec: {
      containers: [{ name: 'argo-server', args: ['server', '--auth-mode=server'], securityContext: { privileged: true } }],
    },
  },
});

describe('containersOf: one extractor for every rule', () => {
  it('an image-less patch container is seen by flag rules and workload-security rules alike', () => {
    const auth = runCase(argoServerAuthModeServer, { name: 'patch', objects: [ARGO_SERVER_PATCH] });
    const privileged = runCase(podPrivileged, { name: 'patch', objects: [ARGO_SERVER_PATCH] });
    assert.deepEqual(auth.map((f) => f.path), ['spec.template.spec.containers[0].args[1]']);
    assert.deepEqual(privileged.map((f) => f.path), ['spec.template.spec.containers[0].securityContext.privileged']);
  });

  it('image-less containers count in every standard pod-spec position and list', () => {
    const pod = obj('v1', 'Pod', { initContainers: [{ name: 'init' }], containers: [{ name: 'main' }] });
    const cronJob = obj('batch/v1', 'CronJob', { jobTemplate: { spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c' }] } } } } });
    assert.deepEqual(containersOf(pod).map((ref) => [ref.path, ref.role]), [
      ['spec.initContainers[0]', 'initContainer'],
      ['spec.containers[0]', 'container'],
    ]);
    const [ref] = containersOf(cronJob);
    assert.equal(ref?.path, 'spec.jobTemplate.spec.template.spec.containers[0]');
    assert.deepEqual(ref?.holder.metadata, { labels: { app: 'a' } }, 'the pod template metadata travels with the holder');
  });

  it('image-less records elsewhere are not containers (no false positives from arbitrary CRD lists)', () => {
    const crd = obj('example.com/v1', 'Thing', { deep: { containers: [{ name: 'n', securityContext: { privileged: true } }] } });
    const argo = obj('argoproj.io/v1alpha1', 'Workflow', { templates: [{ name: 't', containerSet: { containers: [{ name: 'n' }] } }] });
    assert.deepEqual(containersOf(crd), []);
    assert.deepEqual(containersOf(argo), []);
    assert.deepEqual(runCase(podPrivileged, { name: 'crd', objects: [crd] }), []);
  });

  it('a mixed list keeps imaged containers everywhere and image-less ones only at standard positions', () => {
    const crd = obj('example.com/v1', 'Thing', { deep: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b' }] } });
    assert.deepEqual(containersOf(crd).map((ref) => ref.path), ['spec.deep.containers[0]']);
  });

  it('kinds that never carry containers have none, whatever their body holds', () => {
    const configMap: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: { template: { spec: { containers: [{ image: 'busybox' }] } } } };
    assert.deepEqual(containersOf(configMap), []);
    assert.deepEqual(podSpecsOf(configMap), []);
  });

  it('text templates, pod-spec patches and framework containers come from the registry', () => {
    const resource = obj('argoproj.io/v1alpha1', 'Workflow', {
      templates: [{ name: 'r', resource: { action: 'create', manifest: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: m\n    image: busybox\n' } }],
    });
    const noAction = obj('example.com/v1', 'Thing', { manifest: 'spec:\n  containers:\n  - name: m\n    image: busybox\n' });
    const kserve = obj('serving.kserve.io/v1beta1', 'InferenceService', { predictor: { model: { args: ['--x'] } } });
    assert.deepEqual(containersOf(resource).map((ref) => ref.path), ['spec.templates[0].resource.manifest.spec.containers[0]']);
    assert.deepEqual(containersOf(noAction), [], 'a manifest string without an action is data');
    assert.deepEqual(containersOf(kserve).map((ref) => ref.path), ['spec.predictor.model']);
  });

  it('container-less workloads and workflow-level pod settings are looked up by kind and group', () => {
    assert.equal(runsCodeOutsideContainers(obj('ray.io/v1', 'RayJob', {})), true);
    assert.equal(runsCodeOutsideContainers(obj('example.com/v1', 'RayJob', {})), false);
    const cron = obj('argoproj.io/v1alpha1', 'CronWorkflow', { workflowSpec: { hostNetwork: true } });
    assert.deepEqual(workflowPodSettingsOf(cron), { spec: { hostNetwork: true }, path: 'spec.workflowSpec' });
    assert.equal(workflowPodSettingsOf(obj('apps/v1', 'Deployment', {})), undefined);
  });
});

describe('Argo steps: a list of parallel groups, not of containers', () => {
  it('finds the container of an inline template inside a steps group', () => {
    const workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'w' },
      spec: {
        entrypoint: 'main',
        templates: [{ name: 'main', steps: [[{ name: 'a', inline: { container: { image: 'busybox', command: ['xmrig'] } } }], [{ name: 'b', template: 'x' }]] }],
      },
    } as unknown as K8sObject;
    const found = containersOf(workflow);
    assert.deepEqual(
      found.map((ref) => ref.path),
      ['spec.templates[0].steps[0][0].inline.container'],
    );
  });

  it('still reads Tekton steps as containers', () => {
    const task = { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { steps: [{ name: 's', image: 'alpine', script: 'echo' }] } } as unknown as K8sObject;
    assert.deepEqual(
      containersOf(task).map((ref) => ref.path),
      ['spec.steps[0]'],
    );
  });
});
