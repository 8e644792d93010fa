/**
 * Test-only: a fake of the Kubernetes API server's HTTP protocol, just enough of it for the real
 * `@kubernetes/client-node` and kfguard's cluster source: HTTPS on 127.0.0.1, bearer-token auth,
 * `/api` and `/apis` discovery, list endpoints (cluster-wide and per namespace) with
 * `limit`/`continue`, `410 Gone` for an expired continue token, `403` on chosen resources,
 * optional slow answers and dropped connections, and watch streams (`watch.ts`) fed by the
 * create/update/delete calls tests make on the returned handle and by HTTP writes (`writes.ts`:
 * POST, PUT with resourceVersion checks and 409 Conflict, merge PATCH; 403 on chosen resources;
 * DELETE, which empties a Namespace first and stops serving a CRD's kinds with their objects, at
 * once where a real server does it in the background). A CRD created serves its kinds, as on a
 * real server; no other controller runs (no garbage collection of dependents, no Pods for a Deployment).
 * It is no API server: no field or label selectors, no validation, no admission. No real API
 * server can run where these tests run.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { K8sObject } from '../../core/types.js';
import { BUILTIN_KINDS, crdKinds, guessKind, type ServedKind } from './resource-table.js';
import { localhostCertificate } from './tls.js';
import { WatchHub, type WatchEventType, type WatchTarget } from './watch.js';
import { applyWrite, failure, readBody, type WriteStore } from './writes.js';

export interface FakeApiServerOptions {
  readonly objects: readonly K8sObject[];
  /** The bearer token clients must send; random when absent. */
  readonly token?: string;
  /** Resources answered with 403, as `plural` (core) or `group/plural`. */
  readonly forbidden?: readonly string[];
  /** Resources that may be read but whose writes (create, update, patch) get 403, as RBAC without those verbs. */
  readonly forbiddenWrites?: readonly string[];
  /** Resources whose first continue request gets `410 Gone`, as a compaction would cause. */
  readonly expireContinueOnce?: readonly string[];
  /** Milliseconds to wait before each answer. */
  readonly delayMs?: number;
  /** The first N list requests have their connection destroyed without an answer. */
  readonly dropFirstLists?: number;
  /** How often open watches that asked for bookmarks get one (a real server: about a minute). */
  readonly bookmarkIntervalMs?: number;
  /** Changes kept for watches to resume from; a watch from before them gets a 410 ERROR event. */
  readonly watchWindow?: number;
  /** The longest a watch stays open when the client names no `timeoutSeconds`. */
  readonly defaultWatchTimeoutSeconds?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly status: number;
}

export interface FakeApiServer {
  readonly url: string;
  readonly token: string;
  readonly caPem: string;
  readonly requests: RecordedRequest[];
  /** The most list requests that were in flight at once. */
  readonly maxConcurrentLists: number;
  /** Watch streams open now. */
  readonly openWatches: number;
  /** TLS connections accepted so far (a client that keeps its connections alive opens few). */
  readonly connections: number;
  /** The latest resourceVersion handed out. */
  readonly resourceVersion: number;
  /** Stores a new object (uid, resourceVersion, managedFields added) and tells the watches. */
  create(object: K8sObject): K8sObject;
  /** Replaces the stored object of the same kind, namespace and name; throws when there is none. */
  update(object: K8sObject): K8sObject;
  /** Removes the stored object of the same kind, namespace and name; throws when there is none. */
  remove(object: K8sObject): void;
  /** Forgets every change so far, as etcd compaction does: watches resuming from before get 410. */
  compact(): void;
  /** Cuts every open watch connection without a word, as a load balancer or a restart would. */
  dropWatches(): void;
  /** Changes which resources answer 403 (`plural` or `group/plural`). */
  setForbidden(resources: readonly string[]): void;
  /** The stored object of this kind (`group/kind`, `kind` for core), namespace and name. */
  get(groupKind: string, namespace: string | undefined, name: string): K8sObject | undefined;
  /**
   * Runs `action` right after the next GET of the item at `path` is answered: a writer that read
   * the object then finds it changed (another controller won the race), and its PUT meets a 409.
   */
  afterNextGet(path: string, action: () => void): void;
  close(): Promise<void>;
}

interface Collection {
  readonly served: ServedKind;
  readonly items: K8sObject[];
}

const keyOf = (group: string, version: string, plural: string): string => `${group}/${version}/${plural}`;
const nameKey = (o: K8sObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export async function startFakeApiServer(options: FakeApiServerOptions): Promise<FakeApiServer> {
  const state = new FakeState(options);
  const { certPem, keyPem, caPem } = await localhostCertificate();
  const server = createServer({ cert: certPem, key: keyPem }, (req, res) => void state.handle(req, res));
  let connections = 0;
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    token: state.token,
    caPem,
    requests: state.requests,
    get maxConcurrentLists() {
      return state.maxInFlight;
    },
    get openWatches() {
      return state.watches.open;
    },
    get connections() {
      return connections;
    },
    get resourceVersion() {
      return state.currentVersion;
    },
    create: (object) => state.mutate('ADDED', object),
    update: (object) => state.mutate('MODIFIED', object),
    remove: (object) => void state.mutate('DELETED', object),
    compact: () => state.watches.compact(state.currentVersion),
    dropWatches: () => state.watches.dropAll(),
    setForbidden: (resources) => state.setForbidden(resources),
    get: (groupKind, namespace, name) => {
      const slash = groupKind.lastIndexOf('/');
      return state.find(groupKind.slice(slash + 1), slash === -1 ? '' : groupKind.slice(0, slash), namespace, name);
    },
    afterNextGet: (path, action) => void state.afterGet.set(path, action),
    close: () => {
      state.watches.closeAll();
      return closeServer(server);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

class FakeState {
  readonly token: string;
  readonly requests: RecordedRequest[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private listsSeen = 0;
  private readonly collections = new Map<string, Collection>();
  private readonly expired = new Set<string>();
  private resourceVersion = 1000;
  private forbidden: ReadonlySet<string>;
  private readonly forbiddenWrites: ReadonlySet<string>;
  readonly afterGet = new Map<string, () => void>();
  readonly watches: WatchHub;

  constructor(private readonly options: FakeApiServerOptions) {
    this.token = options.token ?? randomBytes(16).toString('hex');
    this.forbidden = new Set(options.forbidden ?? []);
    this.forbiddenWrites = new Set(options.forbiddenWrites ?? []);
    const crds = crdKinds(options.objects);
    for (const served of [...BUILTIN_KINDS, ...crds]) this.collectionFor(served);
    for (const object of options.objects) {
      const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
      const version = object.apiVersion.split('/').pop()!;
      const known = [...BUILTIN_KINDS, ...crds].filter((k) => k.group === group && k.kind === object.kind);
      const stored = this.stored(object);
      // A real server serves every object of a kind in each served version (a CRD without a
      // conversion webhook only changes apiVersion), so clients see it in the version they ask for.
      const kinds = known.some((k) => k.version === version) ? known : [guessKind(object)];
      for (const served of kinds) this.collectionFor(served).items.push(stored);
    }
    // Real servers list in key order (namespace, then name).
    for (const c of this.collections.values()) c.items.sort((a, b) => (nameKey(a) < nameKey(b) ? -1 : nameKey(a) > nameKey(b) ? 1 : 0));
    this.watches = new WatchHub({
      oldestResourceVersion: this.resourceVersion,
      window: options.watchWindow ?? 100_000,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      defaultTimeoutSeconds: options.defaultWatchTimeoutSeconds ?? 1_800,
    });
  }

  get currentVersion(): number {
    return this.resourceVersion;
  }

  setForbidden(resources: readonly string[]): void {
    this.forbidden = new Set(resources);
  }

  /** A create, update or delete, as the API server's storage would apply it, told to the watches. */
  mutate(type: WatchEventType, object: K8sObject): K8sObject {
    const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
    let targets = [...this.collections.values()].filter((c) => c.served.group === group && c.served.kind === object.kind);
    if (targets.length === 0) {
      if (type !== 'ADDED') throw new Error(`fake API server: no ${object.kind} is served`);
      targets = [this.collectionFor(guessKind(object))];
    }
    const key = nameKey(object);
    const first = targets[0]!;
    const existing = findSorted(first.items, key);
    if (type === 'ADDED' && existing.found) throw new Error(`fake API server: ${object.kind} ${key} already exists`);
    if (type !== 'ADDED' && !existing.found) throw new Error(`fake API server: no ${object.kind} ${key}`);
    const previous = existing.found ? first.items[existing.index]! : undefined;
    let stored: K8sObject;
    if (type === 'DELETED') {
      stored = { ...previous!, metadata: { ...previous!.metadata, resourceVersion: String(++this.resourceVersion) } };
    } else {
      stored = this.stored(object);
      // An update keeps the object's identity: same uid and creation time.
      if (previous) stored = { ...stored, metadata: { ...stored.metadata, uid: previous.metadata?.uid, creationTimestamp: previous.metadata?.creationTimestamp } };
    }
    for (const collection of targets) {
      const at = findSorted(collection.items, key);
      if (type === 'DELETED') collection.items.splice(at.index, 1);
      else if (at.found) collection.items[at.index] = stored;
      else collection.items.splice(at.index, 0, stored);
    }
    this.watches.publish({ type, group, kind: object.kind, namespace: object.metadata?.namespace, resourceVersion: this.resourceVersion, object: stored });
    // A CRD created serves its kinds from then on, as a real server's does once established.
    if (type !== 'DELETED' && group === 'apiextensions.k8s.io' && object.kind === 'CustomResourceDefinition') for (const served of crdKinds([stored])) this.collectionFor(served);
    return stored;
  }

  /**
   * DELETE of one item. A Namespace takes its objects with it, and a CRD its custom objects and
   * its kinds, as on a real server (there by controllers, after the answer; here before it).
   * Dependents named by ownerReferences stay: no garbage collector runs.
   */
  private deleteItem(collection: Collection, group: string, namespace: string | undefined, name: string): { code: number; body: unknown } {
    const { kind, plural, version } = collection.served;
    const found = this.find(kind, group, namespace, name);
    if (!found) return failure(404, 'NotFound', `${plural}${group ? `.${group}` : ''} "${name}" not found`);
    if (group === '' && kind === 'Namespace') {
      this.removeAll([...this.collections.values()].filter((c) => c.served.namespaced), (o) => o.metadata?.namespace === name);
    }
    if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') {
      const served = crdKinds([found]).map((k) => keyOf(k.group, k.version, k.plural));
      this.removeAll(served.map((key) => this.collections.get(key)).filter((c): c is Collection => c !== undefined), () => true);
      for (const key of served) this.collections.delete(key);
    }
    this.mutate('DELETED', { ...found, apiVersion: group ? `${group}/${version}` : version, kind });
    return { code: 200, body: found };
  }

  /** Deletes (telling the watches) every object of these collections that `wanted` picks, once per object across versions. */
  private removeAll(collections: readonly Collection[], wanted: (o: K8sObject) => boolean): void {
    const seen = new Set<string>();
    for (const c of collections) {
      for (const object of c.items.filter(wanted)) {
        const key = `${c.served.group}/${c.served.kind}/${nameKey(object)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        this.mutate('DELETED', { ...object, apiVersion: c.served.group ? `${c.served.group}/${c.served.version}` : c.served.version, kind: c.served.kind });
      }
    }
  }

  private collectionFor(served: ServedKind): Collection {
    const key = keyOf(served.group, served.version, served.plural);
    let collection = this.collections.get(key);
    if (!collection) {
      collection = { served, items: [] };
      this.collections.set(key, collection);
    }
    return collection;
  }

  /** What a real server adds on create: uid, resourceVersion and managedFields (which clients must drop). */
  private stored(object: K8sObject): K8sObject {
    const metadata = { creationTimestamp: new Date().toISOString(), ...object.metadata, uid: randomBytes(8).toString('hex'), resourceVersion: String(++this.resourceVersion) };
    const managedFields = [{ manager: 'kubectl', operation: 'Apply', apiVersion: object.apiVersion, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }];
    return { ...object, metadata: { ...metadata, managedFields } };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://fake');
    const method = req.method ?? 'GET';
    const record = (status: number): void => void this.requests.push({ method, path: url.pathname, query: url.searchParams, status });
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      record(401);
      return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    if (method !== 'GET') {
      const written = await this.write(req, url);
      record(written.code);
      return send(res, written.code, written.body);
    }
    const answer = this.route(url);
    if (answer.watch && answer.code === 200) {
      record(200);
      this.watches.serve(answer.watch, url.searchParams, res);
      return;
    }
    if (answer.list && this.listsSeen++ < (this.options.dropFirstLists ?? 0)) {
      record(0);
      req.socket.destroy();
      return;
    }
    record(answer.code);
    if (answer.list) {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      // Lists take a moment on a real server; holding them open lets tests see the concurrency.
      await new Promise((r) => setTimeout(r, 5));
      this.inFlight--;
    }
    send(res, answer.code, answer.body);
    const after = this.afterGet.get(url.pathname);
    if (after && answer.code === 200) {
      this.afterGet.delete(url.pathname);
      after();
    }
  }

  find(kind: string, group: string, namespace: string | undefined, name: string): K8sObject | undefined {
    const collection = [...this.collections.values()].find((c) => c.served.group === group && c.served.kind === kind);
    if (!collection) return undefined;
    const at = findSorted(collection.items, `${namespace ?? ''}/${name}`);
    return at.found ? collection.items[at.index] : undefined;
  }

  /** The collection a write names: its item for PUT and PATCH, the collection itself for POST. */
  private writeTarget(url: URL, item: boolean): { collection: Collection; group: string; version: string; namespace: string | undefined; rest: string[] } | undefined {
    const parts = url.pathname.split('/').filter(Boolean);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts[1]) [group, version, rest] = ['', parts[1], parts.slice(2)];
    else if (parts[0] === 'apis' && parts[1] && parts[2]) [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
    else return undefined;
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) [namespace, rest] = [rest[1], rest.slice(2)];
    const collection = this.collections.get(keyOf(group, version, rest[0] ?? ''));
    if (!collection || rest.length !== (item ? 2 : 1) || collection.served.namespaced !== (namespace !== undefined)) return undefined;
    return { collection, group, version, namespace, rest };
  }

  /** POST, PUT, PATCH (`writes.ts` has the semantics) and DELETE on a served resource. */
  private async write(req: IncomingMessage, url: URL): Promise<{ code: number; body: unknown }> {
    const method = req.method ?? '';
    const target = this.writeTarget(url, method !== 'POST');
    if (!target) return notFound(url.pathname);
    const { collection, group, version, namespace, rest } = target;
    const itemWanted = method !== 'POST';
    const { plural, kind } = collection.served;
    if (this.forbiddenWrites.has(group === '' ? plural : `${group}/${plural}`) || this.forbidden.has(group === '' ? plural : `${group}/${plural}`)) {
      const verb = method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'DELETE' ? 'delete' : 'patch';
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return { code: 403, body: status(403, 'Forbidden', `${plural}${group ? `.${group}` : ''}${itemWanted ? ` "${rest[1] ?? ''}"` : ''} is forbidden: User "system:serviceaccount:test:kfguard" cannot ${verb} resource "${plural}" in API group "${group}" ${scope}`) };
    }
    if (method === 'DELETE') return this.deleteItem(collection, group, namespace, rest[1] ?? '');
    const read = await readBody(req);
    if ('tooLarge' in read) return failure(413, 'RequestEntityTooLarge', 'the request is too large');
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch (error) {
      return failure(400, 'BadRequest', `the body of the request could not be decoded: ${(error as Error).message}`);
    }
    const store: WriteStore = {
      find: (k, g, ns, name) => this.find(k, g, ns, name),
      create: (object) => this.mutate('ADDED', object),
      update: (object) => this.mutate('MODIFIED', object),
    };
    return applyWrite({ method, group, version, plural, kind, namespace, name: rest[1], contentType: req.headers['content-type'] ?? '', body }, store);
  }

  private route(url: URL): Answer {
    const parts = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/api') return ok({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/apis') return ok(this.groupList());
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts[1]) [group, version, rest] = ['', parts[1], parts.slice(2)];
    else if (parts[0] === 'apis' && parts[1] && parts[2]) [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
    else return notFound(url.pathname);
    if (rest.length === 0) return this.resourceList(group, version, url.pathname);
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) [namespace, rest] = [rest[1], rest.slice(2)];
    const collection = this.collections.get(keyOf(group, version, rest[0] ?? ''));
    if (!collection || rest.length > 2) return notFound(url.pathname);
    const resourceName = group === '' ? collection.served.plural : `${group}/${collection.served.plural}`;
    const watching = rest.length === 1 && ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    if (this.forbidden.has(resourceName)) {
      const verb = watching ? 'watch' : 'list';
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return { code: 403, body: status(403, 'Forbidden', `${collection.served.plural}${group ? `.${group}` : ''} is forbidden: User "system:serviceaccount:test:kfguard" cannot ${verb} resource "${collection.served.plural}" in API group "${group}" ${scope}`), list: true };
    }
    if (watching) return this.watchAnswer(collection, group, version, namespace);
    const inScope = collection.items.filter((o) => namespace === undefined || o.metadata?.namespace === namespace);
    if (rest.length === 2) {
      const found = inScope.find((o) => o.metadata?.name === rest[1]);
      return found ? ok({ ...found, apiVersion: group ? `${group}/${version}` : version, kind: collection.served.kind }) : notFound(url.pathname);
    }
    return this.list(collection, inScope, url.searchParams, resourceName);
  }

  private watchAnswer(collection: Collection, group: string, version: string, namespace: string | undefined): Answer {
    const apiVersion = group ? `${group}/${version}` : version;
    const current = (): K8sObject[] => collection.items.filter((o) => namespace === undefined || o.metadata?.namespace === namespace).map((o) => ({ ...o, apiVersion, kind: collection.served.kind }));
    return { code: 200, body: undefined, watch: { group, kind: collection.served.kind, apiVersion, namespace, current, resourceVersion: () => this.resourceVersion } };
  }

  private list(collection: Collection, items: readonly K8sObject[], query: URLSearchParams, resourceName: string): Answer & { list: true } {
    const { served } = collection;
    let offset = 0;
    const token = query.get('continue');
    if (token) {
      if (this.options.expireContinueOnce?.includes(resourceName) && !this.expired.has(resourceName)) {
        this.expired.add(resourceName);
        return { code: 410, body: status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'), list: true };
      }
      offset = Number(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).offset);
    }
    const limit = Number(query.get('limit') ?? '0');
    const end = limit > 0 ? Math.min(items.length, offset + limit) : items.length;
    const page = items.slice(offset, end).map((o) => {
      // List items carry no apiVersion or kind: the list's own kind says what they are.
      const { apiVersion: _apiVersion, kind: _kind, ...rest } = o;
      return rest;
    });
    const metadata: Record<string, unknown> = { resourceVersion: String(this.resourceVersion) };
    if (end < items.length) {
      metadata.continue = Buffer.from(JSON.stringify({ offset: end, rv: this.resourceVersion })).toString('base64url');
      metadata.remainingItemCount = items.length - end;
    }
    const apiVersion = served.group ? `${served.group}/${served.version}` : served.version;
    return { code: 200, body: { kind: `${served.kind}List`, apiVersion, metadata, items: page }, list: true };
  }

  private groupList(): unknown {
    const versions = new Map<string, Set<string>>();
    for (const { served } of this.collections.values()) {
      if (served.group === '') continue;
      versions.set(served.group, (versions.get(served.group) ?? new Set()).add(served.version));
    }
    const groups = [...versions].map(([name, set]) => {
      const sorted = [...set].sort(preferredFirst);
      return { name, versions: sorted.map((v) => ({ groupVersion: `${name}/${v}`, version: v })), preferredVersion: { groupVersion: `${name}/${sorted[0]}`, version: sorted[0] } };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  private resourceList(group: string, version: string, path: string): { code: number; body: unknown } {
    const resources = [...this.collections.values()]
      .filter(({ served }) => served.group === group && served.version === version)
      .map(({ served }) => ({
        name: served.plural,
        singularName: served.kind.toLowerCase(),
        namespaced: served.namespaced,
        kind: served.kind,
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      }));
    if (resources.length === 0) return notFound(path);
    // Subresources are listed too, as a real server does; clients must skip them.
    const withStatus = resources.flatMap((r) => [r, { name: `${r.name}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] }]);
    return ok({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: withStatus });
  }
}

/** `v1` before `v1beta1` before `v1alpha1`, as Kubernetes orders versions. */
function preferredFirst(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  return rb[0] - ra[0] || rb[1] - ra[1] || rb[2] - ra[2];
}

interface Answer {
  readonly code: number;
  readonly body: unknown;
  readonly list?: boolean;
  readonly watch?: WatchTarget;
}

const ok = (body: unknown): { code: number; body: unknown } => ({ code: 200, body });

/** Where `key` is in items sorted by namespace/name, or where it would go. */
function findSorted(items: readonly K8sObject[], key: string): { found: boolean; index: number } {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (nameKey(items[mid]!) < key) low = mid + 1;
    else high = mid;
  }
  return { found: low < items.length && nameKey(items[low]!) === key, index: low };
}
const notFound = (path: string): { code: number; body: unknown } => ({ code: 404, body: status(404, 'NotFound', `the server could not find the requested resource (get ${path})`) });

function status(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
