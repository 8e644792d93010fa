import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { KfguardConfig } from '../core/config-types.js';
import { errorMessage } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import { apiGroupOf, asArray, asRecord, asString, describeRef, isRecord } from '../core/object.js';
import type { Rule } from '../core/rule.js';
import { collect } from '../core/source.js';
import type { Finding, InputError, K8sObject, ResourceRef } from '../core/types.js';
import { newSnapshot } from '../k8s/inventory.js';
import { evaluateManifests, type BatchSource } from '../scan.js';
import { ManifestSource } from '../sources/manifest-source.js';
import type { OpenedBy, ProbeTarget } from './types.js';

export interface TracedTargets {
  readonly targets: ProbeTarget[];
  readonly errors: InputError[];
  readonly warnings: string[];
}

const MAX_REPORT_BYTES = 64 * 1024 * 1024;
/** Each object yields at most this many URLs: hosts × paths × ports can multiply. */
const MAX_URLS_PER_OBJECT = 16;

/**
 * `probe --from-scan REPORT.json`: the exposure findings of a JSON report, each traced back to the
 * object it names (re-read from the file the report says it came from) and turned into the URLs
 * that object makes reachable.
 */
export async function targetsFromScanReport(path: string, display: string, cwd: string): Promise<TracedTargets> {
  const errors: InputError[] = [];
  const warnings: string[] = [];
  const findings = await exposureFindingsOf(path, display, errors);
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    const origin = finding.origin;
    if (origin?.kind !== 'file') {
      warnings.push(`${describeRef(finding.resource)}: found by a ${origin?.kind ?? 'unknown'} scan; use \`kfguard probe --cluster\` to read its live addresses`);
      continue;
    }
    if (origin.reader === 'stdin') {
      warnings.push(`${describeRef(finding.resource)}: read from stdin, which cannot be read again; scan the files instead`);
      continue;
    }
    const file = origin.path ?? origin.file;
    byFile.set(file, [...(byFile.get(file) ?? []), finding]);
  }
  const targets: ProbeTarget[] = [];
  for (const [file, fileFindings] of byFile) {
    const source = new ManifestSource({ paths: [file], cwd, readStdin: () => Promise.reject(new Error('no stdin')) });
    const snapshot = newSnapshot();
    await collect([source], snapshot);
    errors.push(...source.result.errors);
    for (const finding of fileFindings) {
      const scanned = snapshot.get(finding.resource.kind, finding.resource.namespace, finding.resource.name, apiGroupOf(finding.resource.apiVersion));
      if (!scanned) {
        errors.push({ file: resolve(cwd, file), message: `${describeRef(finding.resource)} named by the report is no longer in this file` });
        continue;
      }
      targets.push(...targetsOfEntry(scanned.object, snapshot, finding, warnings));
    }
  }
  return { targets, errors, warnings };
}

/** `probe --cluster`: the exposure rules run over the live cluster, and the addresses of what they flag. */
export async function targetsFromCluster(source: BatchSource, rules: readonly Rule[], config: KfguardConfig): Promise<TracedTargets> {
  const exposureRules = rules.filter((rule) => rule.meta.category === 'exposure');
  const evaluation = await evaluateManifests({ paths: [], cwd: '.', readStdin: () => Promise.reject(new Error('no stdin')), rules: exposureRules, config, source });
  const warnings: string[] = [];
  const targets: ProbeTarget[] = [];
  for (const finding of evaluation.findings) {
    if (finding.suppression) continue;
    const scanned = evaluation.inventory.get(finding.resource.kind, finding.resource.namespace, finding.resource.name, apiGroupOf(finding.resource.apiVersion));
    if (scanned) targets.push(...targetsOfEntry(scanned.object, evaluation.inventory, finding, warnings));
  }
  return { targets, errors: [...evaluation.collected.errors], warnings };
}

async function exposureFindingsOf(path: string, display: string, errors: InputError[]): Promise<Finding[]> {
  let parsed: unknown;
  try {
    const info = await stat(path);
    if (info.size > MAX_REPORT_BYTES) throw new Error(`larger than ${MAX_REPORT_BYTES} bytes`);
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    errors.push({ file: display, message: `cannot read the scan report: ${errorMessage(error).split('\n')[0]}` });
    return [];
  }
  if (!isRecord(parsed) || parsed.schemaVersion !== 1 || !Array.isArray(parsed.findings)) {
    errors.push({ file: display, message: 'not a kfguard JSON report (expected schemaVersion 1 and findings; write one with `kfguard scan --format json`)' });
    return [];
  }
  return parsed.findings.filter((raw): raw is Finding => {
    const f = asRecord(raw);
    const resource = asRecord(f?.resource);
    return f?.category === 'exposure' && f.suppression === undefined && typeof f.ruleId === 'string' && typeof resource?.kind === 'string' && typeof resource.name === 'string' && typeof resource.apiVersion === 'string';
  });
}

function openedByOf(finding: Finding, how: string): OpenedBy {
  const resource: ResourceRef = finding.resource;
  return {
    resource,
    ruleId: finding.ruleId,
    how,
    ...(finding.location ? { location: finding.location } : {}),
    ...(finding.origin ? { origin: finding.origin } : {}),
  };
}

type Found = { url: string; how: string }[];

/** The URLs an entry object (Service, Ingress, Route, Gateway, HTTPRoute) makes reachable. */
export function targetsOfEntry(object: K8sObject, inventory: Inventory, finding: Finding, warnings: string[]): ProbeTarget[] {
  const name = describeRef(finding.resource);
  const found: Found = [];
  const spec = asRecord(object.spec) ?? {};
  const status = asRecord(object.status) ?? {};
  const ingressAddresses = asArray(asRecord(status.loadBalancer)?.ingress)
    .flatMap((entry) => [asString(asRecord(entry)?.ip), asString(asRecord(entry)?.hostname)])
    .filter((a): a is string => a !== undefined && a !== '');
  const addTargets = ADDRESS_READERS[object.kind];
  addTargets?.({ spec, status, ingressAddresses, inventory, name, found, warnings });
  if (found.length === 0 && !warnings.some((w) => w.startsWith(name))) warnings.push(`${name}: no address to probe in what was scanned`);
  return found.slice(0, MAX_URLS_PER_OBJECT).map(({ url, how }) => ({ url, openedBy: openedByOf(finding, how) }));
}

interface EntryContext {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly status: Readonly<Record<string, unknown>>;
  /** `status.loadBalancer.ingress` IPs and host names. */
  readonly ingressAddresses: readonly string[];
  readonly inventory: Inventory;
  readonly name: string;
  readonly found: Found;
  readonly warnings: string[];
}

const ADDRESS_READERS: Readonly<Record<string, (context: EntryContext) => void>> = {
  Service: serviceTargets,
  Ingress: ingressTargets,
  Route: ({ spec, found }) => {
    const host = asString(spec.host);
    if (host !== undefined) pushUrl(found, spec.tls !== undefined ? 'https' : 'http', host, undefined, cleanPath(asString(spec.path)), `Route host ${host}`);
  },
  Gateway: gatewayTargets,
  HTTPRoute: ({ spec, found }) => {
    for (const host of asArray(spec.hostnames).map(asString)) if (host !== undefined && !host.includes('*')) pushUrl(found, 'https', host, undefined, '/', `HTTPRoute hostname ${host}`);
  },
};

/** Load balancer and external addresses on each port, and NodePorts on the nodes' external addresses. */
function serviceTargets({ spec, ingressAddresses, inventory, name, found, warnings }: EntryContext): void {
  const ports = asArray(spec.ports).map(asRecord).filter((p): p is NonNullable<typeof p> => p !== undefined);
  const addresses = [...ingressAddresses, ...asArray(spec.externalIPs).map(asString), asString(spec.loadBalancerIP)].filter((a): a is string => a !== undefined && a !== '');
  for (const address of new Set(addresses)) for (const port of ports) pushUrl(found, schemeOfPort(port), address, Number(port.port), '/', `address ${address}, port ${String(port.port)}`);
  const nodePorts = ports.map((p) => Number(p.nodePort)).filter((n) => Number.isInteger(n) && n > 0);
  if (spec.type === 'NodePort' || (nodePorts.length > 0 && addresses.length === 0)) {
    const nodeAddresses = inventory
      .ofKind('Node')
      .flatMap((node) => asArray(asRecord(node.object.status)?.addresses).map(asRecord).filter((a) => a?.type === 'ExternalIP').map((a) => asString(a?.address)))
      .filter((a): a is string => a !== undefined);
    for (const address of nodeAddresses) for (const port of nodePorts) pushUrl(found, 'http', address, port, '/', `node ${address}, NodePort ${port}`);
    if (nodeAddresses.length === 0 && nodePorts.length > 0) warnings.push(`${name}: NodePort ${nodePorts.join(', ')} but no node address is known; probe http://NODE:${nodePorts[0]}/ yourself`);
  }
  if (addresses.length === 0 && spec.type === 'LoadBalancer') warnings.push(`${name}: a LoadBalancer with no address in what was scanned (manifests carry none; \`kfguard probe --cluster\` reads the live status)`);
}

/** Each rule's host (https when a TLS entry names it) and path prefix; the load balancer address for host-less rules. */
function ingressTargets({ spec, ingressAddresses, found }: EntryContext): void {
  const tlsHosts = new Set(asArray(spec.tls).flatMap((t) => asArray(asRecord(t)?.hosts).map(asString)));
  for (const rule of asArray(spec.rules).map(asRecord)) {
    const host = asString(rule?.host);
    const paths = asArray(asRecord(rule?.http)?.paths).map((p) => cleanPath(asString(asRecord(p)?.path)));
    const hosts = host !== undefined && !host.includes('*') ? [host] : ingressAddresses;
    const scheme = host !== undefined && tlsHosts.has(host) ? 'https' : 'http';
    for (const h of hosts) for (const path of new Set(paths.length > 0 ? paths : ['/'])) pushUrl(found, scheme, h, undefined, path, `Ingress host ${h}${path === '/' ? '' : ` path ${path}`}`);
  }
}

/** Gateway API: each listener on its host name, or on the Gateway's addresses. */
function gatewayTargets({ spec, status, found }: EntryContext): void {
  const addresses = [...asArray(status.addresses), ...asArray(spec.addresses)].map((a) => asString(asRecord(a)?.value)).filter((a): a is string => a !== undefined);
  for (const listener of asArray(spec.listeners).map(asRecord)) {
    const scheme = /HTTPS|TLS/i.test(asString(listener?.protocol) ?? '') ? 'https' : 'http';
    const hostname = asString(listener?.hostname);
    const hosts = hostname !== undefined && !hostname.includes('*') ? [hostname] : addresses;
    for (const host of hosts) pushUrl(found, scheme, host, Number(listener?.port), '/', `Gateway listener ${asString(listener?.name) ?? ''} ${host}`.replace(/\s+/g, ' '));
  }
}

function schemeOfPort(port: Readonly<Record<string, unknown>>): 'http' | 'https' {
  const n = Number(port.port);
  const words = `${asString(port.name) ?? ''} ${asString(port.appProtocol) ?? ''}`;
  return n === 443 || n === 8443 || /https|tls/i.test(words) ? 'https' : 'http';
}

/** An Ingress or Route path as a URL prefix: regex and wildcard tails dropped, `/` when nothing is left. */
function cleanPath(path: string | undefined): string {
  if (path === undefined) return '/';
  const literal = path.split(/[(*$^?[\\]/)[0] ?? '/';
  return literal.startsWith('/') ? literal : '/';
}

function pushUrl(found: Found, scheme: 'http' | 'https', host: string, port: number | undefined, path: string, how: string): void {
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const defaultPort = scheme === 'https' ? 443 : 80;
  const portPart = port === undefined || !Number.isInteger(port) || port === defaultPort ? '' : `:${port}`;
  try {
    const url = new URL(`${scheme}://${hostPart}${portPart}${path}`);
    if (!found.some((f) => f.url === url.href)) found.push({ url: url.href, how });
  } catch {
    // A host no URL can hold (spaces, control characters) is not probed.
  }
}
