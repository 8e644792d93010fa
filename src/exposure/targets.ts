import { asRecord, asString, asStringArray, labelsOf, nameOf } from '../core/object.js';
import { podLabelsOf } from '../k8s/inventory.js';
import { containersOf, imageOf } from '../k8s/workloads.js';
import type { ServiceRef, TargetFamily, TargetKind } from './types.js';

interface CatalogueEntry {
  readonly family: TargetFamily;
  readonly label: string;
  /** Matched against Service and workload names and the values of identifying labels. */
  readonly names?: RegExp;
  readonly images?: RegExp;
  /** Label keys whose mere presence identifies the target (e.g. `notebook-name`). */
  readonly labelKeys?: readonly string[];
  /** Matched against container command + args, for generic images that run a known server. */
  readonly commands?: RegExp;
}

/**
 * Kubeflow UIs and APIs first, so a Kubeflow notebook is never mistaken for a standalone Jupyter.
 * MLflow, TensorBoard and Ray are left to ml-tracking-server-exposed and ray-dashboard-no-auth,
 * which judge their login settings as well as their reach.
 */
const CATALOGUE: readonly CatalogueEntry[] = [
  { family: 'kubeflow', label: 'Kubeflow Central Dashboard', names: /^central-?dashboard$/, images: /central-?dashboard/ },
  { family: 'kubeflow', label: 'Kubeflow Pipelines UI', names: /^ml-pipeline-(ui|frontend)$/, images: /kfp-frontend|ml-pipeline\/frontend/ },
  { family: 'kubeflow', label: 'Kubeflow Pipelines API', names: /^ml-pipeline(-api-?server)?$/, images: /kfp-api-server|ml-pipeline\/api-server/ },
  {
    family: 'kubeflow',
    label: 'Kubeflow notebook server',
    labelKeys: ['notebook-name'],
    images: /kubeflownotebookswg\/|kubeflow-images-public\/.*notebook/,
  },
  { family: 'kubeflow', label: 'Kubeflow Jupyter web app', names: /^jupyter-web-app(-service)?$/, images: /jupyter-web-app/ },
  { family: 'kubeflow', label: 'Kubeflow Katib UI', names: /^katib-ui$/, images: /katib-ui/ },
  { family: 'kubeflow', label: 'Kubeflow TensorBoards web app', names: /^tensorboards-web-app(-service)?$/, images: /tensorboards-web-app/ },
  { family: 'kubeflow', label: 'Kubeflow Volumes web app', names: /^volumes-web-app(-service)?$/, images: /volumes-web-app/ },
  { family: 'kubeflow', label: 'KServe models web app', names: /^kserve-models-web-app(lication)?$/, images: /models-web-app/ },
  { family: 'kubeflow', label: 'Kubeflow Model Registry UI', names: /^model-registry-ui$/, images: /model-registry[-/]ui/ },
  { family: 'kubeflow', label: 'Kubeflow access management API (KFAM)', names: /^profiles-kfam$/, images: /\/kfam[:@]/ },
  { family: 'sensitive', label: 'Kubernetes Dashboard', names: /^kubernetes-dashboard$/, images: /kubernetesui\/dashboard|kubernetes-dashboard-amd64/ },
  { family: 'sensitive', label: 'Argo Workflows UI/server', names: /^argo-(ui|server)$/, images: /argoproj\/(argocli|argoui)/ },
  { family: 'sensitive', label: 'Dex identity provider', names: /^dex$/, images: /dexidp\/dex|coreos\/dex/ },
  {
    family: 'sensitive',
    label: 'database',
    names: /(^|-)(postgres|postgresql|mysql|mariadb|mongo|mongodb|redis)(-|$)/,
    images: /(^|\/)(postgres|postgresql|mysql|mariadb|mongo|redis)[:@]|bitnami\/(postgresql|mysql|mariadb|mongodb|redis)/,
  },
  { family: 'sensitive', label: 'object store', names: /(^|-)(minio|seaweedfs)(-|$)/, images: /minio\/minio|seaweedfs/ },
  { family: 'sensitive', label: 'web file browser', names: /filebrowser/, images: /filebrowser/ },
  { family: 'sensitive', label: 'model-serving gateway', names: /(kfserving|kserve|knative)-?ingress-?gateway/ },
  { family: 'sensitive', label: 'ModelDB', names: /modeldb/, images: /modeldb/ },
  { family: 'sensitive', label: 'ML Metadata service', names: /^metadata-(grpc|envoy)-service$/, images: /ml_metadata_store_server|kfp-metadata-envoy/ },
  { family: 'sensitive', label: 'Kubeflow Pipelines visualization server', names: /^ml-pipeline-visualizationserver$/, images: /visualization-server/ },
  {
    family: 'sensitive',
    label: 'Jupyter notebook server',
    names: /jupyter|(^|-)notebook(-|$)/,
    images: /jupyter/,
    commands: /\bjupyter(-lab|-notebook)?\b|start-notebook/,
  },
];

/** Label keys whose values name an application. */
const IDENTIFYING_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/component', 'component', 'k8s-app', 'name'];

interface Signals {
  readonly names: readonly string[];
  readonly labelKeys: ReadonlySet<string>;
  readonly images: readonly string[];
  readonly commands: readonly string[];
}

function signalsOf(backend: ServiceRef): Signals {
  const names = [backend.name];
  const labelKeys = new Set<string>();
  const addLabels = (labels: Readonly<Record<string, string>>): void => {
    for (const [key, value] of Object.entries(labels)) {
      labelKeys.add(key);
      if (IDENTIFYING_LABELS.includes(key)) names.push(value);
    }
  };
  if (backend.service) {
    addLabels(labelsOf(backend.service));
    const selector = asRecord(asRecord(backend.service.spec)?.selector) ?? {};
    addLabels(Object.fromEntries(Object.entries(selector).filter(([, v]) => typeof v === 'string')) as Record<string, string>);
  }
  const images: string[] = [];
  const commands: string[] = [];
  for (const { object } of backend.workloads) {
    names.push(nameOf(object));
    for (const labels of podLabelsOf(object)) addLabels(labels);
    for (const { container } of containersOf(object)) {
      const image = imageOf(container);
      if (image) images.push(image);
      commands.push([...asStringArray(container.command), ...asStringArray(container.args)].join(' '));
      const name = asString(container.name);
      if (name) names.push(name);
    }
  }
  return { names, labelKeys, images, commands };
}

/**
 * What a backend Service is, judged by its workloads' images and labels first and by names last,
 * so a renamed dashboard is still recognised.
 */
export function recognizeTarget(backend: ServiceRef): TargetKind | undefined {
  const signals = signalsOf(backend);
  const byStrongSignal = CATALOGUE.find(
    (entry) =>
      (entry.images && signals.images.some((image) => entry.images?.test(image))) ||
      (entry.labelKeys?.some((key) => signals.labelKeys.has(key)) ?? false) ||
      (entry.commands && signals.commands.some((command) => entry.commands?.test(command))),
  );
  const entry = byStrongSignal ?? CATALOGUE.find((e) => e.names && signals.names.some((name) => e.names?.test(name)));
  return entry ? { family: entry.family, label: entry.label } : undefined;
}

/**
 * Name patterns (JavaScript regex sources, also valid RE2) of one target family, for exports that
 * can only see a Service's own name (`kfguard export vap`).
 */
export function targetNamePatterns(family: TargetFamily): { readonly label: string; readonly pattern: string }[] {
  return CATALOGUE.filter((entry) => entry.family === family && entry.names).map((entry) => ({ label: entry.label, pattern: entry.names?.source ?? '' }));
}
