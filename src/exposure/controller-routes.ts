import { describeObject, namespaceOf, nameOf } from '../core/object.js';
import type { K8sObject, ScannedObject } from '../core/types.js';
import { containerEnvMap } from '../k8s/env-resolution.js';
import type { DerivedAnalysis, Inventory } from '../core/inventory.js';
import { containersOf, imageOf } from '../k8s/workloads.js';
import type { TargetKind } from './types.js';

/**
 * A gateway route that a controller creates at runtime, so manifests never contain it: the
 * notebook controller gives every Notebook a VirtualService on the Kubeflow gateway.
 */
export interface ControllerRoute {
  /** `namespace/name` of the Istio Gateway the route binds to. */
  readonly gatewayKey: string;
  readonly namespace: string | undefined;
  readonly name: string;
  /** The VirtualService hop, written for the evidence. */
  readonly label: string;
  readonly requestPath: string;
  readonly workloads: readonly ScannedObject[];
  readonly target: TargetKind;
  readonly createdBy: string;
  /** What was assumed because the scanned files do not show it. */
  readonly caveats: readonly string[];
}

/**
 * Facts of kubeflow/kubeflow `components/notebook-controller` (controllers/notebook_controller.go,
 * https://github.com/kubeflow/kubeflow/tree/master/components/notebook-controller): with
 * `USE_ISTIO=true` it creates VirtualService `notebook-<ns>-<name>` on `ISTIO_GATEWAY` (default
 * `kubeflow/kubeflow-gateway`) for prefix `/notebook/<ns>/<name>/`, to Service `<name>` port 80.
 */
const DEFAULT_NOTEBOOK_GATEWAY = 'kubeflow/kubeflow-gateway';
const NOTEBOOK_CONTROLLER_IMAGE = /notebook-controller/;
const NOTEBOOK_SERVER: TargetKind = { family: 'kubeflow', label: 'Kubeflow notebook server' };

interface NotebookControllerSettings {
  readonly createsRoutes: boolean;
  readonly gateway: string;
  readonly caveats: readonly string[];
}

const isNotebookController = (object: K8sObject): boolean => containersOf(object).some(({ container }) => NOTEBOOK_CONTROLLER_IMAGE.test(imageOf(container) ?? ''));

const NOTEBOOK_CONTROLLER: DerivedAnalysis<NotebookControllerSettings> = {
  name: 'notebook controller settings',
  build: (inventory) => readNotebookControllerSettings(inventory),
  relevant: isNotebookController,
};

function notebookControllerSettings(inventory: Inventory): NotebookControllerSettings {
  return inventory.derived(NOTEBOOK_CONTROLLER);
}

function readNotebookControllerSettings(inventory: Inventory): NotebookControllerSettings {
  for (const scanned of inventory.all) {
    for (const { container } of containersOf(scanned.object)) {
      if (!NOTEBOOK_CONTROLLER_IMAGE.test(imageOf(container) ?? '')) continue;
      const variables = containerEnvMap(container, scanned.object.metadata?.namespace, inventory, { secrets: false });
      const useIstio = variables.get('USE_ISTIO')?.value;
      const gateway = variables.get('ISTIO_GATEWAY')?.value ?? DEFAULT_NOTEBOOK_GATEWAY;
      const unresolved = useIstio === undefined ? [`USE_ISTIO of ${describeObject(scanned.object)} could not be resolved; assumed true, as Kubeflow installs it`] : [];
      return { createsRoutes: useIstio === undefined || useIstio.toLowerCase() === 'true', gateway, caveats: unresolved };
    }
  }
  return {
    createsRoutes: true,
    gateway: DEFAULT_NOTEBOOK_GATEWAY,
    caveats: [`the notebook controller is not in the scanned files; assumed Kubeflow's defaults (USE_ISTIO=true, gateway ${DEFAULT_NOTEBOOK_GATEWAY})`],
  };
}

/** Routes the notebook controller will create for the scanned Notebooks, unless already scanned. */
export function notebookControllerRoutes(inventory: Inventory): ControllerRoute[] {
  const notebooks = inventory.ofKind('Notebook', 'kubeflow.org');
  if (notebooks.length === 0) return [];
  const settings = notebookControllerSettings(inventory);
  if (!settings.createsRoutes) return [];
  const gatewayKey = settings.gateway.includes('/') ? settings.gateway : `kubeflow/${settings.gateway}`;
  const routes: ControllerRoute[] = [];
  for (const notebook of notebooks) {
    const namespace = namespaceOf(notebook.object);
    const name = nameOf(notebook.object);
    const virtualService = `notebook-${namespace ?? 'default'}-${name}`;
    if (inventory.get('VirtualService', namespace, virtualService, 'networking.istio.io')) continue;
    routes.push({
      gatewayKey,
      namespace,
      name,
      label: `VirtualService ${namespace ? `${namespace}/` : ''}${virtualService} (created at runtime by the notebook controller; prefix /notebook/${namespace ?? 'default'}/${name}/)`,
      requestPath: `/notebook/${namespace ?? 'default'}/${name}/`,
      workloads: [notebook],
      target: NOTEBOOK_SERVER,
      createdBy: 'the notebook controller',
      caveats: settings.caveats,
    });
  }
  return routes;
}
