import { asRecord, asString, labelsOf, nameOf, namespaceOf } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { recognizeTarget } from '../exposure/targets.js';

/**
 * What a Service fronts, if it is the mesh's ingress gateway or an ML UI: the exposure catalogue
 * (Kubeflow UIs, Argo, Jupyter) judged from the Service alone, since an audit event carries no
 * workloads, plus Ray heads and MLflow, which the exposure rules leave to their own rules.
 */
export function uiBehindService(service: K8sObject): string | undefined {
  const labels = { ...labelsOf(service), ...selectorOf(service) };
  const name = nameOf(service);
  if (labels.istio === 'ingressgateway' || labels.app === 'istio-ingressgateway' || name === 'istio-ingressgateway') return 'the Istio ingress gateway (every Kubeflow UI behind it)';
  if (labels['ray.io/node-type'] === 'head' || /-head-svc$/.test(name)) return 'a Ray head (dashboard and Jobs API)';
  if (/mlflow/.test(name) || Object.values(labels).some((value) => /mlflow/.test(value))) return 'an MLflow tracking server';
  const target = recognizeTarget({ namespace: namespaceOf(service), name, service, workloads: [] });
  // An audit event carries no pods, so a Ray port alone can name the Service: say that it did.
  if (target?.byPortsAlone) return `${target.label}, by its port alone (${target.byPortsAlone.join(', ')})`;
  return target?.label;
}

function selectorOf(service: K8sObject): Record<string, string> {
  const selector = asRecord(asRecord(service.spec)?.selector) ?? {};
  return Object.fromEntries(Object.entries(selector).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** `LoadBalancer` or `NodePort`: reachable from outside the cluster's network. */
export function exposedTypeOf(service: K8sObject | undefined): string | undefined {
  const type = asString(asRecord(service?.spec)?.type);
  return type === 'LoadBalancer' || type === 'NodePort' ? type : undefined;
}
