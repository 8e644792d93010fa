/** The review every webhook benchmark sends: a ~2 KB AdmissionReview of a KFP v2 pipeline step Pod, as Argo creates it. */
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'train-pipeline-system-container-impl-1', namespace: 'kubeflow-user-example-com', labels: { 'workflows.argoproj.io/workflow': 'train-pipeline', 'pipelines.kubeflow.org/v2_component': 'true' }, annotations: { 'workflows.argoproj.io/node-name': 'train-pipeline.root-driver' } },
  spec: {
    serviceAccountName: 'default-editor',
    initContainers: [{ name: 'init', image: 'quay.io/argoproj/argoexec:v3.4.17', command: ['argoexec', 'init', '--loglevel', 'info'] }],
    containers: [
      { name: 'wait', image: 'quay.io/argoproj/argoexec:v3.4.17', command: ['argoexec', 'wait', '--loglevel', 'info'] },
      { name: 'main', image: 'python:3.9', command: ['/var/run/argo/argoexec', 'emissary', '--', 'sh', '-c'], args: ["python3 -m pip install --quiet kfp==2.7.0 && python3 -m kfp.dsl.executor_main --component_module_path /tmp/ephemeral_component.py --executor_input '{\"inputs\":{\"parameterValues\":{\"epochs\":3}}}'"], env: [{ name: 'ML_PIPELINE_SERVICE_HOST', value: 'ml-pipeline.kubeflow.svc.cluster.local' }] },
    ],
  },
};
export const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'bench', kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', namespace: pod.metadata.namespace, userInfo: { username: 'system:serviceaccount:kubeflow:argo', groups: [] }, object: pod } });
