import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG, type KfguardConfig } from '../core/config-types.js';
import { errorMessage } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import { apiGroupOf, asArray, asRecord, asString, describeObject, describeRef, isRecord, nameOf, namespaceOf } from '../core/object.js';
import type { Rule } from '../core/rule.js';
import { collect } from '../core/source.js';
import type { Finding, InputError, K8sObject, ResourceRef } from '../core/types.js';
import { newSnapshot } from '../k8s/inventory.js';
import { exposuresReaching } from '../exposure/analysis.js';
import { reachesOutside } from '../exposure/workload-reachability.js';
import { rayHeadExposures, rayHeadsOf } from '../platforms/ray.js';
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
/** Kinds whose own fields say where they listen. */
const ENTRY_KINDS = new Set(['Service', 'Ingress', 'Route', 'Gateway', 'HTTPRoute']);
/** Findings of these categories are about a door: one with no address to probe is named in a warning. */
const DOOR_CATEGORIES = new Set(['exposure', 'authentication']);

/**
 * `probe --from-scan REPORT.json`: every finding of a JSON report, whatever its rule, traced back
 * to the object it names (re-read from the file the report says it came from) and from there to
 * the entry objects on its exposure paths (itself, or the Services, Ingresses and routes that
 * reach it), whose addresses are probed.
 */
export async function targetsFromScanReport(path: string, display: string, cwd: string, config: KfguardConfig = DEFAULT_CONFIG): Promise<TracedTargets> {
  const errors: InputError[] = [];
  const warnings: string[] = [];
  const findings = doorsFirst(await findingsOf(path, display, errors));
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    const origin = finding.origin;
    if (origin?.kind !== 'file') {
      if (DOOR_CATEGORIES.has(finding.category)) warnings.push(`${describeRef(finding.resource)}: found by a ${origin?.kind ?? 'unknown'} scan; use \`kfguard probe --cluster\` to read its live addresses`);
      continue;
    }
    if (origin.reader === 'stdin') {
      warnings.push(`${describeRef(finding.resource)}: read from stdin, which cannot be read again; scan the files instead`);
      continue;
    }
    const file = origin.path ?? origin.file;
    byFile.set(file, [...(byFile.get(file) ?? []), finding]);
  }
  // The files are read together: a Service in one file reaches a Deployment in another.
  const snapshot = newSnapshot();
  if (byFile.size > 0) {
    const source = new ManifestSource({ paths: [...byFile.keys()], cwd, readStdin: () => Promise.reject(new Error('no stdin')) });
    await collect([source], snapshot);
    errors.push(...source.result.errors);
  }
  const targets: ProbeTarget[] = [];
  for (const [file, fileFindings] of byFile) {
    for (const finding of fileFindings) {
      const scanned = snapshot.get(finding.resource.kind, finding.resource.namespace, finding.resource.name, apiGroupOf(finding.resource.apiVersion));
      if (!scanned) {
        errors.push({ file: resolve(cwd, file), message: `${describeRef(finding.resource)} named by the report is no longer in this file` });
        continue;
      }
      targets.push(...targetsOfFinding(scanned.object, snapshot, finding, config, warnings));
    }
  }
  return { targets, errors, warnings };
}

/** `probe --cluster`: the selected rules run over the live cluster, and the addresses on the exposure paths of whatever they flag. */
export async function targetsFromCluster(source: BatchSource, rules: readonly Rule[], config: KfguardConfig): Promise<TracedTargets> {
  const evaluation = await evaluateManifests({ paths: [], cwd: '.', readStdin: () => Promise.reject(new Error('no stdin')), rules, config, source });
  const warnings: string[] = [];
  const targets: ProbeTarget[] = [];
  for (const finding of doorsFirst(evaluation.findings)) {
    if (finding.suppression) continue;
    const scanned = evaluation.inventory.get(finding.resource.kind, finding.resource.namespace, finding.resource.name, apiGroupOf(finding.resource.apiVersion));
    if (scanned) targets.push(...targetsOfFinding(scanned.object, evaluation.inventory, finding, config, warnings));
  }
  return { targets, errors: [...evaluation.collected.errors], warnings };
}

/** Exposure findings name the door itself, so they go first: the first finding to reach a URL names its door. */
function doorsFirst(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding): number => (f.category === 'exposure' ? 0 : f.category === 'authentication' ? 1 : 2);
  return [...findings].sort((a, b) => rank(a) - rank(b));
}

/**
 * The entry objects on the exposure paths of a flagged object: the object itself when it is one,
 * else every Service, Ingress or route the exposure analysis finds reaching it from outside, and
 * for a Ray head the ways its dashboard is exposed.
 */
export function entriesReaching(object: K8sObject, inventory: Inventory, config: KfguardConfig): K8sObject[] {
  if (ENTRY_KINDS.has(object.kind)) return [object];
  const entries = new Set<K8sObject>();
  for (const exposure of exposuresReaching(inventory, object, config.lists)) {
    if (reachesOutside(exposure.reach.level) || exposure.reach.level === 'unseen') entries.add(exposure.entry.object);
  }
  for (const head of rayHeadsOf(object)) for (const exposure of rayHeadExposures(object, head, inventory, config.lists)) if (exposure.entry) entries.add(exposure.entry);
  return [...entries];
}

function targetsOfFinding(object: K8sObject, inventory: Inventory, finding: Finding, config: KfguardConfig, warnings: string[]): ProbeTarget[] {
  const entries = entriesReaching(object, inventory, config);
  if (entries.length === 0) {
    if (DOOR_CATEGORIES.has(finding.category) && !warnings.some((w) => w.startsWith(describeRef(finding.resource)))) {
      warnings.push(`${describeRef(finding.resource)} (${finding.ruleId}): no Service, Ingress or route with an address reaches it in what was scanned`);
    }
    return [];
  }
  return entries.flatMap((entry) => targetsOfEntry(entry, inventory, finding, warnings));
}

async function findingsOf(path: string, display: string, errors: InputError[]): Promise<Finding[]> {
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
    return f?.suppression === undefined && typeof f?.ruleId === 'string' && typeof f.category === 'string' && typeof resource?.kind === 'string' && typeof resource.name === 'string' && typeof resource.apiVersion === 'string';
  });
}

/** The door: the entry object itself when it is what the finding names, else the entry, with the flagged object it leads to. */
function openedByOf(entry: K8sObject, finding: Finding, how: string): OpenedBy {
  const isFlagged = entry.kind === finding.resource.kind && nameOf(entry) === finding.resource.name && namespaceOf(entry) === finding.resource.namespace;
  if (isFlagged) {
    return { resource: finding.resource, ruleId: finding.ruleId, how, ...(finding.location ? { location: finding.location } : {}), ...(finding.origin ? { origin: finding.origin } : {}) };
  }
  const resource: ResourceRef = { apiVersion: entry.apiVersion, kind: entry.kind, ...(namespaceOf(entry) === undefined ? {} : { namespace: namespaceOf(entry) }), name: nameOf(entry) };
  return { resource, ruleId: finding.ruleId, how: `${how}, reaching ${describeRef(finding.resource)}`, ...(finding.origin ? { origin: finding.origin } : {}) };
}

type Found = { url: string; how: string }[];

/** The URLs an entry object (Service, Ingress, Route, Gateway, HTTPRoute) makes reachable. */
export function targetsOfEntry(object: K8sObject, inventory: Inventory, finding: Finding, warnings: string[]): ProbeTarget[] {
  const name = describeObject(object);
  const found: Found = [];
  const spec = asRecord(object.spec) ?? {};
  const status = asRecord(object.status) ?? {};
  const ingressAddresses = asArray(asRecord(status.loadBalancer)?.ingress)
    .flatMap((entry) => [asString(asRecord(entry)?.ip), asString(asRecord(entry)?.hostname)])
    .filter((a): a is string => a !== undefined && a !== '');
  const addTargets = ADDRESS_READERS[object.kind];
  addTargets?.({ spec, status, ingressAddresses, inventory, name, found, warnings });
  if (found.length === 0 && !warnings.some((w) => w.startsWith(name))) warnings.push(`${name}: no address to probe in what was scanned`);
  return found.slice(0, MAX_URLS_PER_OBJECT).map(({ url, how }) => ({ url, openedBy: openedByOf(object, finding, how) }));
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
