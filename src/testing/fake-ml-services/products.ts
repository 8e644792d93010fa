/**
 * Test-only FAKES of the answers each product gives an anonymous GET. They are not the products:
 * each handler reproduces the JSON or HTML shape of the real answer, and says which upstream file
 * or document the shape comes from. Values are invented.
 */

export interface FakeAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type FakeProduct =
  | 'kubeflow-dashboard'
  | 'kfp'
  | 'jupyter'
  | 'jupyterhub'
  | 'argo'
  | 'ray'
  | 'kubernetes-dashboard'
  | 'mlflow'
  | 'tensorboard'
  | 'ollama'
  | 'vllm'
  | 'kserve';

/** How the product itself guards its API, when no gateway does. `open` is the insecure setting. */
export type ProductMode = 'open' | 'native-auth';

export const json = (value: unknown, status = 200): FakeAnswer => ({ status, body: JSON.stringify(value), contentType: 'application/json' });
export const html = (body: string, status = 200): FakeAnswer => ({ status, body, contentType: 'text/html; charset=utf-8' });

type Handler = (path: string, query: URLSearchParams, mode: ProductMode) => FakeAnswer | undefined;

/**
 * Kubeflow Central Dashboard. Source: kubeflow/kubeflow components/centraldashboard/app/api_workgroup.ts
 * (env-info: user, platform, namespaces, isClusterAdmin; exists: hasAuth, user, hasWorkgroup,
 * registrationFlowAllowed) and app/api.ts (dashboard-links); without the kubeflow-userid header the
 * user is anonymous@kubeflow.org and isClusterAdmin is true (attach_user_middleware.ts). The
 * dashboard has no login of its own, so `native-auth` does not exist for it. Every other path gets
 * the single-page app's HTML shell with a 200, as the Express static fallback does.
 */
const kubeflowDashboard: Handler = (path) => {
  if (path === '/api/workgroup/env-info') {
    return json({
      user: 'anonymous@kubeflow.org',
      platform: { kubeflowVersion: '1.9.1', provider: 'other://', providerName: 'other', logoutUrl: '/oauth2/sign_out' },
      // getBasicEnvironment: every profile namespace, each as a contributor binding of the anonymous user.
      namespaces: [{ namespace: 'kubeflow-user-example-com', role: 'contributor', user: 'anonymous@kubeflow.org' }],
      isClusterAdmin: true,
    });
  }
  if (path === '/api/workgroup/exists') return json({ hasAuth: false, user: 'anonymous', hasWorkgroup: true, registrationFlowAllowed: true });
  if (path === '/api/dashboard-links') return json({ menuLinks: [{ type: 'item', link: '/jupyter/', text: 'Notebooks', icon: 'book' }], externalLinks: [], quickLinks: [], documentationItems: [] });
  if (path.startsWith('/api/')) return json({ error: 'not found' }, 404);
  return html('<!doctype html><html><head><title>Kubeflow Central Dashboard</title></head><body><main-page></main-page></body></html>');
};

/**
 * Kubeflow Pipelines API behind the UI (`/pipeline/apis/...`) and directly (`/apis/...`). Sources:
 * kubeflow/pipelines backend/api/v1beta1/healthz.proto and v2beta1/healthz.proto
 * (commit_sha, tag_name, multi_user), v2beta1/pipeline.proto ListPipelinesResponse (pipelines,
 * total_size, next_page_token), v1beta1/run.proto ListRunsResponse (runs with resource_references).
 */
export function kfpHandler(multiUser: boolean): Handler {
  return (rawPath) => {
    const path = rawPath.replace(/^\/pipeline(?=\/apis\/)/, '');
    if (path === '/apis/v1beta1/healthz' || path === '/apis/v2beta1/healthz') return json({ commit_sha: '1a2b3c4', tag_name: '2.3.0', multi_user: multiUser });
    if (path === '/apis/v2beta1/pipelines' || path === '/apis/v1beta1/pipelines') {
      return json({ pipelines: [{ pipeline_id: '6f1c2d3e-0000-4000-8000-000000000001', display_name: 'sequential-pipeline', created_at: '2026-11-30T10:00:00Z' }], total_size: 1 });
    }
    if (path === '/apis/v1beta1/runs' || path === '/apis/v2beta1/runs') {
      if (multiUser) return json({ error: 'Invalid input error: ListRuns must filter by resource reference in multi-user mode.', code: 3 }, 400);
      return json({ runs: [{ id: '0b7f-run', name: 'sequential-pipeline-x7k2p', resource_references: [{ key: { type: 'EXPERIMENT', id: 'e1' }, relationship: 'OWNER' }] }], total_size: 1 });
    }
    if (path.startsWith('/apis/')) return json({ error: 'Not Found', code: 5 }, 404);
    if (rawPath.startsWith('/pipeline')) return html('<!doctype html><html><head><title>Kubeflow Pipelines</title></head><body><div id="root"></div></body></html>');
    return undefined;
  };
}

/**
 * Jupyter Server. Sources: jupyter-server/jupyter_server services/api/handlers.py (`/api` gives
 * `{"version"}` to anyone; `/api/status` gives started, last_activity, connections, kernels),
 * services/kernels/handlers.py and terminal/api_handlers.py (JSON lists). With a token, API
 * routes answer 403 `{"message": "Forbidden", "reason": null}` and pages redirect to `/login?next=`.
 */
const jupyter: Handler = (path, _query, mode) => {
  if (path === '/api') return json({ version: '2.14.2' });
  if (path.startsWith('/api/')) {
    if (mode === 'native-auth') return json({ message: 'Forbidden', reason: null }, 403);
    if (path === '/api/status') return json({ started: '2026-12-01T08:00:00.000000Z', last_activity: '2026-12-01T09:00:00.000000Z', connections: 1, kernels: 1 });
    if (path === '/api/kernels') return json([{ id: '8d2c', name: 'python3', last_activity: '2026-12-01T09:00:00Z', execution_state: 'idle', connections: 1 }]);
    if (path === '/api/terminals') return json([{ name: '1', last_activity: '2026-12-01T09:00:00Z' }]);
    return json({ message: 'Not Found', reason: null }, 404);
  }
  if (mode === 'native-auth') return { status: 302, body: '', contentType: 'text/html', headers: { location: `/login?next=${encodeURIComponent(path)}` } };
  if (path === '/login') return html('<html><head><title>Jupyter Server</title></head><body><form action="/login"><input name="password"></form></body></html>');
  return html('<!doctype html><html><head><title>JupyterLab</title></head><body></body></html>');
};

/**
 * JupyterHub. Source: JupyterHub REST API docs (https://jupyterhub.readthedocs.io/en/stable/reference/rest-api.html):
 * `GET /hub/api` returns `{"version"}` without a token; every other API route needs one (403
 * `{"status": 403, "message": …}`); pages redirect to `/hub/login`.
 */
const jupyterhub: Handler = (path) => {
  if (path === '/hub/api') return json({ version: '5.2.1' });
  if (path.startsWith('/hub/api/')) return json({ status: 403, message: 'Missing or invalid credentials.' }, 403);
  if (path === '/hub/login') return html('<html><head><title>JupyterHub</title></head><body><form action="/hub/login"></form></body></html>');
  if (path.startsWith('/hub/') || path === '/') return { status: 302, body: '', contentType: 'text/html', headers: { location: '/hub/login?next=%2Fhub%2F' } };
  return undefined;
};

/**
 * Argo Server. Sources: the Argo Workflows swagger (https://argo-workflows.readthedocs.io/en/latest/swagger/)
 * for `/api/v1/version`, `/api/v1/info` and `/api/v1/workflows/{namespace}` (a WorkflowList:
 * metadata and items, items null when empty); nuclei `argo-workflows-unauth.yaml` matches on
 * `metadata` and `items`. With `--auth-mode=client` every API route but version answers 401
 * `{"code":16,"message":"token not valid. …"}`.
 */
export function argoHandler(managedNamespace?: string): Handler {
  return (path, query, mode) => argo(path, query, mode, managedNamespace);
}

/**
 * A namespaced install (`argo-server --namespaced --managed-namespace X`, see
 * https://argo-workflows.readthedocs.io/en/latest/managed-namespace/) names X in `/api/v1/info`;
 * in server mode its service account has a Role in X only, so any other namespace answers the
 * API server's refusal as gRPC PermissionDenied (HTTP 403, code 7).
 */
const argo = (path: string, _query: URLSearchParams, mode: ProductMode, managedNamespace?: string): FakeAnswer | undefined => {
  if (path === '/api/v1/version') return json({ version: 'v3.5.5', buildDate: '2024-02-29T20:59:20Z', gitCommit: 'c80b2e91ebd7e7f604e88442f45ec630380effa0', gitTag: 'v3.5.5', gitTreeState: 'clean', goVersion: 'go1.21.7', compiler: 'gc', platform: 'linux/amd64' });
  if (!path.startsWith('/api/')) return html('<!doctype html><html><head><title>Argo</title></head><body><div id="app"></div></body></html>');
  if (mode === 'native-auth') return json({ code: 16, message: 'token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/' }, 401);
  if (path === '/api/v1/info') return json({ ...(managedNamespace ? { managedNamespace } : {}), modals: {}, navColor: '', links: [], columns: [] });
  const namespace = /^\/api\/v1\/workflows\/([^/]+)$/.exec(path)?.[1];
  if (namespace !== undefined && managedNamespace !== undefined && namespace !== managedNamespace) {
    return json({ code: 7, message: `workflows.argoproj.io is forbidden: User "system:serviceaccount:${managedNamespace}:argo-server" cannot list resource "workflows" in API group "argoproj.io" in the namespace "${namespace}"` }, 403);
  }
  if (namespace !== undefined) return json({ metadata: { resourceVersion: '123456' }, items: [{ metadata: { name: 'hello-world-x1', namespace: path.split('/').pop() } }] });
  return json({ code: 5, message: 'Not Found' }, 404);
};

/**
 * Ray dashboard and Jobs API. Sources: ray-project/ray python/ray/dashboard/modules/job/common.py
 * VersionResponse (version, ray_version, ray_commit, session_name) and the Jobs REST API docs
 * (`GET /api/jobs/` lists JobDetails). With `RAY_AUTH_MODE=token` (Ray 2.52+) requests without the
 * token get 401.
 */
const ray: Handler = (path, _query, mode) => {
  if (!path.startsWith('/api/')) return path === '/' ? html('<!doctype html><html><head><title>Ray Dashboard</title></head><body></body></html>') : undefined;
  if (mode === 'native-auth') return json({ error: 'Unauthorized: token authentication is enabled' }, 401);
  if (path === '/api/version') return json({ version: '4', ray_version: '2.9.3', ray_commit: '62655e1ee8a9', session_name: 'session_2026-12-01_08-00-00_000000_1' });
  if (path === '/api/jobs/') return json([{ type: 'SUBMISSION', job_id: '02000000', submission_id: 'raysubmit_abc', status: 'SUCCEEDED', entrypoint: 'python train.py', message: 'Job finished successfully.' }]);
  return json({ error: 'not found' }, 404);
};

/**
 * Kubernetes Dashboard. Sources: kubernetes/dashboard docs/user/access-control/README.md (skip
 * login), the API module's `/api/v1/namespace` (listMeta, namespaces, errors) and the auth module's
 * `/api/v1/login/status` (tokenPresent, headerPresent, httpsMode, impersonationPresent). Without
 * skip-login an anonymous list answers 401 `MSG_LOGIN_UNAUTHORIZED_ERROR`.
 */
const kubernetesDashboard: Handler = (path, _query, mode) => {
  if (path === '/api/v1/login/status') return json({ tokenPresent: false, headerPresent: false, httpsMode: true, impersonationPresent: false });
  if (path === '/api/v1/namespace') {
    if (mode === 'native-auth') return { status: 401, body: 'MSG_LOGIN_UNAUTHORIZED_ERROR\n', contentType: 'text/plain; charset=utf-8' };
    return json({ listMeta: { totalItems: 2 }, namespaces: [{ objectMeta: { name: 'default' }, phase: 'Active' }, { objectMeta: { name: 'kube-system' }, phase: 'Active' }], errors: [] });
  }
  if (path.startsWith('/api/')) return { status: 404, body: '404 page not found\n', contentType: 'text/plain' };
  return html('<!doctype html><html><head><title>Kubernetes Dashboard</title></head><body><kd-root></kd-root></body></html>');
};

/**
 * MLflow tracking server. Source: MLflow REST API docs (https://mlflow.org/docs/latest/rest-api.html,
 * Search Experiments: experiments, next_page_token) and mlflow/server/handlers.py (`/ajax-api/`
 * twin routes). With `--app-name basic-auth` it answers 401 with `WWW-Authenticate: Basic`.
 */
const mlflow: Handler = (path, _query, mode) => {
  if (!path.startsWith('/api/2.0/mlflow/') && !path.startsWith('/ajax-api/2.0/mlflow/')) return undefined;
  if (mode === 'native-auth') return { status: 401, body: 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html', contentType: 'text/plain', headers: { 'www-authenticate': 'Basic realm="mlflow"' } };
  if (path.endsWith('/experiments/search')) return json({ experiments: [{ experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0', lifecycle_stage: 'active', last_update_time: 1733040000000, creation_time: 1733040000000 }] });
  return json({ error_code: 'ENDPOINT_NOT_FOUND', message: 'No API endpoint' }, 404);
};

/**
 * TensorBoard. Source: tensorflow/tensorboard tensorboard/plugins/core/core_plugin.py
 * (`/data/environment`: data_location, window_title, version, experiment_name …) and
 * backend/application.py (`/data/plugins_listing`). TensorBoard has no authentication.
 */
const tensorboard: Handler = (path) => {
  if (path === '/data/environment') return json({ version: '2.16.2', data_location: '/logs/run-1', window_title: '', experiment_name: '', experiment_description: '', creation_time: 0 });
  if (path === '/data/plugins_listing') return json({ scalars: { enabled: true }, images: { enabled: false }, graphs: { enabled: true } });
  if (path === '/') return html('<!doctype html><html><head><title>TensorBoard</title></head><body><tf-tensorboard></tf-tensorboard></body></html>');
  return undefined;
};

/** Ollama. Source: ollama/ollama docs/api.md, "List Local Models" (`GET /api/tags`: models with name, model, modified_at, size, digest). No authentication. */
const ollama: Handler = (path) => {
  if (path === '/api/tags') return json({ models: [{ name: 'llama3:latest', model: 'llama3:latest', modified_at: '2026-11-01T10:00:00Z', size: 4661224676, digest: 'sha256:365c0bd3c000a25d28ddbf732fe1c6add414de7275464c4e4d1c3b5fcb5d8ad1' }] });
  if (path === '/') return { status: 200, body: 'Ollama is running', contentType: 'text/plain; charset=utf-8' };
  return undefined;
};

/**
 * vLLM's OpenAI-compatible server. Source: vLLM docs "OpenAI-Compatible Server" and the OpenAI
 * "List models" shape (`{"object":"list","data":[{"id","object":"model","owned_by"}]}`); with
 * `--api-key` every `/v1` route answers 401 `{"error":"Unauthorized"}`.
 */
const vllm: Handler = (path, _query, mode) => {
  if (!path.startsWith('/v1/')) return undefined;
  if (mode === 'native-auth') return json({ error: 'Unauthorized' }, 401);
  if (path === '/v1/models') return json({ object: 'list', data: [{ id: 'meta-llama/Llama-3.1-8B-Instruct', object: 'model', created: 1733040000, owned_by: 'vllm', root: 'meta-llama/Llama-3.1-8B-Instruct', max_model_len: 8192 }] });
  return json({ error: { message: 'Not Found' } }, 404);
};

/**
 * KServe model server (Open Inference Protocol v2). Sources: kserve/open-inference-protocol
 * specification/protocol/inference_rest.md (server metadata `GET /v2`: name, version, extensions;
 * `GET /v2/health/ready`) and the KServe Python server's `GET /v2/models` (`{"models": [...]}`).
 */
const kserve: Handler = (path) => {
  if (path === '/v2') return json({ name: 'kserve', version: '0.14.0', extensions: ['model_repository_extension'] });
  if (path === '/v2/health/ready') return json({ ready: true });
  if (path === '/v2/models') return json({ models: ['sklearn-iris'] });
  return undefined;
};

export function productHandler(product: FakeProduct, kfpMultiUser = false, argoManagedNamespace?: string): Handler {
  switch (product) {
    case 'kubeflow-dashboard':
      return kubeflowDashboard;
    case 'kfp':
      return kfpHandler(kfpMultiUser);
    case 'jupyter':
      return jupyter;
    case 'jupyterhub':
      return jupyterhub;
    case 'argo':
      return argoHandler(argoManagedNamespace);
    case 'ray':
      return ray;
    case 'kubernetes-dashboard':
      return kubernetesDashboard;
    case 'mlflow':
      return mlflow;
    case 'tensorboard':
      return tensorboard;
    case 'ollama':
      return ollama;
    case 'vllm':
      return vllm;
    case 'kserve':
      return kserve;
  }
}
