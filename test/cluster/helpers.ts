import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isK8sObject } from '../../src/core/object.js';
import type { K8sObject } from '../../src/core/types.js';
import { kubeconfigFor, type KubeconfigOptions } from '../../src/testing/fake-apiserver/kubeconfig.js';
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions } from '../../src/testing/fake-apiserver/server.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { tempDir } from '../helpers/cli.js';

export function objectsOfYaml(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter(isK8sObject);
}

export function objectsOfFiles(...paths: string[]): K8sObject[] {
  return paths.flatMap((path) => objectsOfYaml(readFileSync(path, 'utf8')));
}

export interface ServedCluster {
  readonly server: FakeApiServer;
  readonly kubeconfig: string;
  readonly dir: string;
  close(): Promise<void>;
}

/** The fake API server serving these objects, and a kubeconfig for it in a temporary directory. */
export async function serve(options: FakeApiServerOptions, kubeconfig: KubeconfigOptions = {}): Promise<ServedCluster> {
  const server = await startFakeApiServer(options);
  const dir = tempDir('kfguard-cluster-');
  const path = join(dir.path, 'kubeconfig');
  writeFileSync(path, kubeconfigFor(server, kubeconfig));
  return {
    server,
    kubeconfig: path,
    dir: dir.path,
    close: async () => {
      await server.close();
      dir.cleanup();
    },
  };
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  category: string;
  message: string;
  path?: string;
  evidence: string[];
  resource: { apiVersion: string; kind: string; namespace?: string; name: string };
  origin?: { kind: string; context?: string; resourceVersion?: string };
  location?: unknown;
  suppression?: { kind: string };
}

export interface JsonReport {
  findings: JsonFinding[];
  coverage: { ruleId: string; source: string; reason: string }[];
  warnings: string[];
  errors: unknown[];
}

/**
 * What must agree between a file scan and a cluster scan: everything but location and origin. The
 * resource's API version is compared by group only: an API server answers in the version the
 * client asks for (the preferred one), whatever version the object was created in.
 */
export function comparable(report: JsonReport): string[] {
  return report.findings
    .map((f) => {
      const resource = { ...f.resource, apiVersion: f.resource.apiVersion.includes('/') ? f.resource.apiVersion.split('/')[0] : '' };
      return JSON.stringify([f.ruleId, f.severity, resource, f.path ?? null, f.message, [...f.evidence].sort(), f.suppression?.kind ?? null]);
    })
    .sort();
}

/** Polls until `condition` holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The built CLI as a user runs it, without blocking this process (where the fake server answers). */
export function runBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
