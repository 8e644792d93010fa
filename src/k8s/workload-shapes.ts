/**
 * Where workloads keep their containers: the one registry `workloads.ts` reads. Adding a workload
 * shape means adding a row here; rules and analyses never special-case kinds.
 *
 * Most shapes need no row at all: containers are found structurally (a list under a key below, of
 * records with an `image`), so Pods, controllers, CronJobs, Argo and KFP workflows, Notebooks,
 * training jobs, Ray, Knative and unknown CRDs are covered by `containerLists` and
 * `singleContainerKeys` alone.
 */

export type ContainerRole = 'container' | 'initContainer' | 'ephemeralContainer' | 'sidecar' | 'template';

/** An API group and kind, matched on `apiVersion` prefix (`ray.io/`) and `kind`. */
export interface KindMatch {
  readonly apiVersionPrefix: string;
  readonly kind: string;
}

export const WORKLOAD_SHAPES = {
  /**
   * Keys whose value is a list of containers. Tekton Task `steps` are containers (with an optional
   * inline `script`); Argo `sidecars` run beside a template's main container.
   * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodSpec
   * https://tekton.dev/docs/pipelines/tasks/#defining-steps
   * https://argo-workflows.readthedocs.io/en/latest/walk-through/sidecars/
   */
  containerLists: {
    containers: 'container',
    steps: 'container',
    initContainers: 'initContainer',
    ephemeralContainers: 'ephemeralContainer',
    sidecars: 'sidecar',
  } satisfies Readonly<Record<string, ContainerRole>>,

  /**
   * Keys whose value is one container: Argo `container`/`script` templates, KFP executors'
   * `container`, Trainer v2 `trainer` steps.
   * https://argo-workflows.readthedocs.io/en/latest/fields/#template
   * https://www.kubeflow.org/docs/components/trainer/
   */
  singleContainerKeys: ['container', 'script', 'trainer'],

  /**
   * Defaults that a list of templates or steps inherits, found structurally: in a record holding
   * both `defaultsKey` and `listKey`, each list item runs with the defaults under its own fields.
   * With `containerKeys`, the defaults and the items are templates and the merge is per container
   * key (Argo merges `templateDefaults.container` into each template's `container`); without, each
   * item is a container merged onto the defaults (Tekton `stepTemplate`). A container with no image
   * of its own is then judged with the inherited one, and an inherited command or securityContext
   * counts as its own.
   * https://argo-workflows.readthedocs.io/en/latest/template-defaults/
   * https://tekton.dev/docs/pipelines/tasks/#specifying-a-step-template
   */
  inheritedDefaults: [
    { defaultsKey: 'templateDefaults', listKey: 'templates', containerKeys: ['container', 'script'] },
    { defaultsKey: 'stepTemplate', listKey: 'steps' },
  ] as readonly { defaultsKey: string; listKey: string; containerKeys?: readonly string[] }[],

  /**
   * Spark applications: the driver and executor run the application image (`spec.image`, or their
   * own `image`), with the settings of `spec.driver`/`spec.executor` and the containers of their pod
   * `template`, none of which needs an image of its own.
   * https://www.kubeflow.org/docs/components/spark-operator/user-guide/using-sparkapplication/
   */
  roleImageDefaults: [
    { apiVersionPrefix: 'sparkoperator.k8s.io/', kind: 'SparkApplication', imagePath: ['spec', 'image'], roles: [['spec', 'driver'], ['spec', 'executor']] },
    { apiVersionPrefix: 'sparkoperator.k8s.io/', kind: 'ScheduledSparkApplication', imagePath: ['spec', 'template', 'image'], roles: [['spec', 'template', 'driver'], ['spec', 'template', 'executor']] },
  ] as readonly (KindMatch & { imagePath: readonly string[]; roles: readonly (readonly string[])[] })[],

  /** Kinds whose bodies describe schemas or data, never running containers. */
  kindsWithoutContainers: ['CustomResourceDefinition', 'ConfigMap', 'Secret', 'Event'],

  /**
   * Pod-spec positions of the built-in controllers (Pod, template controllers, CronJob, the core
   * `PodTemplate` kind, whose containers are defaults for whatever uses the template). Kustomize
   * patches name a container and its settings but leave the image to the base, so at these
   * positions an image-less record in a `patchableLists` list still counts as a container. Anywhere
   * else an image is required, so arbitrary CRD lists named `containers` do not count.
   * https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/
   */
  standardPodSpecPaths: ['spec', 'spec.template.spec', 'spec.jobTemplate.spec.template.spec', 'template.spec'],
  patchableLists: ['containers', 'initContainers', 'ephemeralContainers'],

  /**
   * Text fields holding whole objects whose containers run all the same: Argo `resource.manifest`
   * (only beside an `action`) and Katib v1alpha3 `goTemplate.rawTemplate`. Paths into them run
   * through the string field and resolve to its line.
   * https://argo-workflows.readthedocs.io/en/latest/walk-through/kubernetes-resources/
   * https://www.kubeflow.org/docs/components/katib/user-guides/trial-template/
   */
  textTemplates: [
    { key: 'manifest', requiresSibling: 'action' },
    { key: 'rawTemplate' },
  ] as readonly { key: string; requiresSibling?: string }[],

  /**
   * Text fields holding a pod-spec patch, whose containers need no image (they patch one by name).
   * https://argo-workflows.readthedocs.io/en/latest/fields/#template (podSpecPatch)
   */
  podSpecPatchKeys: ['podSpecPatch'],

  /**
   * KServe inlines a container in each framework entry of a component (`predictor.model`,
   * `predictor.sklearn`, `explainer.art`). Its image usually comes from a ServingRuntime, so a
   * `command` or `args` alone is enough.
   * https://kserve.github.io/website/latest/reference/api/#serving.kserve.io/v1beta1.PredictorSpec
   */
  frameworkContainers: [{ apiVersionPrefix: 'serving.kserve.io/', components: ['predictor', 'explainer', 'transformer'] }] as readonly {
    apiVersionPrefix: string;
    components: readonly string[];
  }[],

  /**
   * Workflow specs that carry pod-level settings (`volumes`, `hostNetwork` …) shared by every
   * template, by kind, as a path from the object root.
   * https://argo-workflows.readthedocs.io/en/latest/fields/#workflowspec
   */
  workflowPodSettings: [
    { apiVersionPrefix: 'argoproj.io/', kind: 'Workflow', path: ['spec'] },
    { apiVersionPrefix: 'argoproj.io/', kind: 'WorkflowTemplate', path: ['spec'] },
    { apiVersionPrefix: 'argoproj.io/', kind: 'ClusterWorkflowTemplate', path: ['spec'] },
    { apiVersionPrefix: 'argoproj.io/', kind: 'CronWorkflow', path: ['spec', 'workflowSpec'] },
  ] as readonly (KindMatch & { path: readonly string[] })[],

  /**
   * Kinds that run code given outside any container spec: a Ray job's entrypoint, a Ray Serve
   * config, a Spark application's main file and arguments, a Katib trial template in a ConfigMap.
   * The threat scanner reads their fields (`threat/workflow-inputs.ts`).
   * https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayjob-quick-start.html
   * https://docs.ray.io/en/latest/serve/production-guide/kubernetes.html
   * https://www.kubeflow.org/docs/components/spark-operator/user-guide/
   * https://www.kubeflow.org/docs/components/katib/user-guides/trial-template/
   */
  containerlessWorkloads: [
    { apiVersionPrefix: 'ray.io/', kind: 'RayJob' },
    { apiVersionPrefix: 'ray.io/', kind: 'RayService' },
    { apiVersionPrefix: 'sparkoperator.k8s.io/', kind: 'SparkApplication' },
    { apiVersionPrefix: 'kubeflow.org/', kind: 'Experiment' },
    { apiVersionPrefix: 'machineconfiguration.openshift.io/', kind: 'MachineConfig' },
    { apiVersionPrefix: 'template.openshift.io/', kind: 'Template' },
    { apiVersionPrefix: 'v1', kind: 'Template' },
  ] as readonly KindMatch[],

  /**
   * Templates whose `objects` are created with `parameters` substituted into `${NAME}` references
   * (`openshift-template.ts`). The legacy core `v1` Template is matched on the exact version.
   * https://docs.openshift.com/container-platform/4.16/openshift_images/using-templates.html
   */
  parameterizedTemplates: [
    { apiVersionPrefix: 'template.openshift.io/', kind: 'Template' },
    { apiVersionPrefix: 'v1', kind: 'Template', exactApiVersion: 'v1' },
  ] as readonly (KindMatch & { exactApiVersion?: string })[],

  /**
   * API groups of custom resources whose controllers route traffic, enforce policy, issue
   * certificates or record alerts, and never run what their specs say: the threat scan does not read
   * their spec text as something an operator may run. Any other custom resource's spec is read.
   * https://istio.io/latest/docs/reference/config/ https://cert-manager.io/docs/reference/api-docs/
   * https://prometheus-operator.dev/docs/api-reference/api/
   */
  configurationOnlyGroups: [
    'networking.istio.io',
    'security.istio.io',
    'telemetry.istio.io',
    'extensions.istio.io',
    'cert-manager.io',
    'acme.cert-manager.io',
    'monitoring.coreos.com',
  ] as readonly string[],

  /**
   * Workload kinds an API server serves, with their API group and resource: the admission webhook
   * is sent these (at their earliest object: the Workflow, not only its Pods) and its ClusterRole
   * reads them. Containers are still found structurally; a row here only makes the kind reach the
   * webhook, so a new workload kind is added here and nowhere else. `subresources` are sent too:
   * `kubectl debug` adds a container through `pods/ephemeralcontainers`, which carries the whole Pod.
   * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/
   * https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container
   * https://argo-workflows.readthedocs.io/en/latest/fields/
   * https://www.kubeflow.org/docs/components/pipelines/user-guides/core-functions/run-a-pipeline/ (ScheduledWorkflow: recurring runs)
   * https://www.kubeflow.org/docs/components/notebooks/api-reference/notebook-v1/
   * https://www.kubeflow.org/docs/components/trainer/legacy-v1/ https://www.kubeflow.org/docs/components/trainer/
   * https://www.kubeflow.org/docs/components/katib/user-guides/hp-tuning/configure-experiment/
   * https://docs.ray.io/en/latest/cluster/kubernetes/index.html
   * https://kserve.github.io/website/latest/reference/api/
   * https://www.kubeflow.org/docs/components/spark-operator/user-guide/
   */
  servedWorkloads: [
    { group: '', kind: 'Pod', resource: 'pods', subresources: ['ephemeralcontainers'] },
    { group: '', kind: 'ReplicationController', resource: 'replicationcontrollers' },
    { group: 'apps', kind: 'Deployment', resource: 'deployments' },
    { group: 'apps', kind: 'StatefulSet', resource: 'statefulsets' },
    { group: 'apps', kind: 'DaemonSet', resource: 'daemonsets' },
    { group: 'apps', kind: 'ReplicaSet', resource: 'replicasets' },
    { group: 'batch', kind: 'Job', resource: 'jobs' },
    { group: 'batch', kind: 'CronJob', resource: 'cronjobs' },
    { group: 'argoproj.io', kind: 'Workflow', resource: 'workflows' },
    { group: 'argoproj.io', kind: 'WorkflowTemplate', resource: 'workflowtemplates' },
    { group: 'argoproj.io', kind: 'ClusterWorkflowTemplate', resource: 'clusterworkflowtemplates' },
    { group: 'argoproj.io', kind: 'CronWorkflow', resource: 'cronworkflows' },
    { group: 'kubeflow.org', kind: 'ScheduledWorkflow', resource: 'scheduledworkflows' },
    { group: 'kubeflow.org', kind: 'Notebook', resource: 'notebooks' },
    { group: 'kubeflow.org', kind: 'TFJob', resource: 'tfjobs' },
    { group: 'kubeflow.org', kind: 'PyTorchJob', resource: 'pytorchjobs' },
    { group: 'kubeflow.org', kind: 'MPIJob', resource: 'mpijobs' },
    { group: 'kubeflow.org', kind: 'XGBoostJob', resource: 'xgboostjobs' },
    { group: 'kubeflow.org', kind: 'PaddleJob', resource: 'paddlejobs' },
    { group: 'kubeflow.org', kind: 'JAXJob', resource: 'jaxjobs' },
    { group: 'kubeflow.org', kind: 'Experiment', resource: 'experiments' },
    { group: 'trainer.kubeflow.org', kind: 'TrainJob', resource: 'trainjobs' },
    { group: 'ray.io', kind: 'RayJob', resource: 'rayjobs' },
    { group: 'ray.io', kind: 'RayCluster', resource: 'rayclusters' },
    { group: 'ray.io', kind: 'RayService', resource: 'rayservices' },
    { group: 'serving.kserve.io', kind: 'InferenceService', resource: 'inferenceservices' },
    { group: 'serving.kserve.io', kind: 'ServingRuntime', resource: 'servingruntimes' },
    { group: 'serving.kserve.io', kind: 'ClusterServingRuntime', resource: 'clusterservingruntimes' },
    { group: 'sparkoperator.k8s.io', kind: 'SparkApplication', resource: 'sparkapplications' },
    { group: 'sparkoperator.k8s.io', kind: 'ScheduledSparkApplication', resource: 'scheduledsparkapplications' },
  ] as readonly { group: string; kind: string; resource: string; subresources?: readonly string[] }[],

  /**
   * Node configurations whose Ignition config writes files and systemd units onto hosts
   * (`machine-config.ts`): a file in `/etc/kubernetes/manifests` is a static Pod whose containers
   * count as the object's.
   * https://docs.openshift.com/container-platform/4.16/machine_configuration/index.html
   */
  hostConfigs: [{ apiVersionPrefix: 'machineconfiguration.openshift.io/', kind: 'MachineConfig', ignitionPath: ['spec', 'config'] }] as readonly (KindMatch & {
    ignitionPath: readonly string[];
  })[],
} as const;

export function matchesKind(match: KindMatch, object: { apiVersion: string; kind: string }): boolean {
  return object.kind === match.kind && object.apiVersion.startsWith(match.apiVersionPrefix);
}
