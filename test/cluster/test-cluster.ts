/**
 * The seam between the live-cluster suite and the API server it runs against: "a cluster holding
 * these objects". By default the in-repo fake API server (src/testing/fake-apiserver, test-only),
 * started in this process with the objects preloaded, exactly as the fake-only tests use it. With
 * KFGUARD_LIVE_KUBECONFIG=path, a real API server reached through that kubeconfig
 * (`live-cluster.ts`: the objects are created through the API, waited for, deleted afterwards).
 *
 * A test file that runs on both declares it with the line `// live-suite: portable`;
 * scripts/kind-e2e.sh runs exactly those files against a kind cluster (portable.test.ts keeps the
 * two in step). Inside them, tests that need what only the fake can do (injected 403s, 410s,
 * drops, slow answers, request logs, exact resourceVersions) pass `fakeOnly(reason)`, which skips
 * them, with the reason shown, on a real server.
 */
import type { K8sObject } from '../../src/core/types.js';
import type { FakeApiServer, FakeApiServerOptions } from '../../src/testing/fake-apiserver/server.js';
import { tempDir } from '../helpers/cli.js';
import { serve } from './helpers.js';
import { LiveApi } from './live-api.js';

/** The kubeconfig of the real API server the portable tests run against, when set. */
export const LIVE_KUBECONFIG: string | undefined = process.env.KFGUARD_LIVE_KUBECONFIG || undefined;
export const LIVE = LIVE_KUBECONFIG !== undefined;

/** node:test options for a test or suite that needs the fake API server itself. */
export function fakeOnly(reason: string): { skip: string | false } {
  return { skip: LIVE ? `fake-only: ${reason}` : false };
}

export interface TestCluster {
  readonly kubeconfig: string;
  /** A temporary directory for the test's files, removed on close. */
  readonly dir: string;
  /** The context name reports give as the finding's origin. */
  readonly context: string;
  /** True on a real API server. */
  readonly live: boolean;
  /**
   * Whether a controller manager runs: Deployments get ReplicaSets and Pods, and dependents whose
   * owner does not exist are garbage-collected. Never on the fake; on a real server unless
   * KFGUARD_LIVE_CONTROLLERS=0 (a standalone fake server stands in for one).
   */
  readonly runsControllers: boolean;
  /** The test's objects as the cluster holds them (on a real server, namespaced ones without a namespace are in `default`). */
  readonly objects: readonly K8sObject[];
  /** The fake server's handle; undefined on a real server (tests that need it are fake-only). */
  readonly fake: FakeApiServer | undefined;
  create(object: K8sObject): Promise<void>;
  /** Replaces the stored object of the same kind, namespace and name with this one. */
  update(object: K8sObject): Promise<void>;
  remove(object: K8sObject): Promise<void>;
  /** The objects of a kind (in a namespace), as a list returns them. */
  list(apiVersion: string, kind: string, namespace?: string): Promise<K8sObject[]>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** How the fake server misbehaves or paces itself; ignored on a real server. */
  readonly fake?: Omit<FakeApiServerOptions, 'objects'>;
  /** Real server only: runs once the scaffolding exists and before any of the objects does. */
  readonly beforeObjects?: (kubeconfig: string) => Promise<void>;
}

export async function clusterWith(objects: readonly K8sObject[], options: ClusterOptions = {}): Promise<TestCluster> {
  if (LIVE_KUBECONFIG !== undefined) {
    const { LiveCluster } = await import('./live-cluster.js');
    const cluster = await LiveCluster.open(LIVE_KUBECONFIG, objects, { beforeObjects: options.beforeObjects });
    const dir = tempDir('kfguard-live-');
    return {
      kubeconfig: LIVE_KUBECONFIG,
      dir: dir.path,
      context: cluster.context,
      live: true,
      objects: cluster.objects,
      runsControllers: process.env.KFGUARD_LIVE_CONTROLLERS !== '0',
      fake: undefined,
      create: (o) => cluster.create(o),
      update: (o) => cluster.update(o),
      remove: (o) => cluster.remove(o),
      list: (apiVersion, kind, namespace) => cluster.list(apiVersion, kind, namespace),
      close: async () => {
        dir.cleanup();
        await cluster.close();
      },
    };
  }
  const served = await serve({ ...options.fake, objects });
  let api: LiveApi | undefined;
  return {
    kubeconfig: served.kubeconfig,
    dir: served.dir,
    context: 'fake',
    live: false,
    objects,
    runsControllers: false,
    fake: served.server,
    create: async (o) => void served.server.create(o),
    update: async (o) => void served.server.update(o),
    remove: async (o) => served.server.remove(o),
    list: async (apiVersion, kind, namespace) => {
      api ??= await LiveApi.open(served.kubeconfig);
      return api.list(apiVersion, kind, namespace);
    },
    close: () => served.close(),
  };
}
