/**
 * Test-only: the write verbs of the fake API server, with the real server's answers for the cases
 * kfguard's sinks meet (k8s.io/apiserver/pkg/registry/generic/registry/store.go and
 * k8s.io/apimachinery/pkg/api/errors): POST creates (201; 409 AlreadyExists; 400 when the body's
 * namespace, kind or resourceVersion is wrong), PUT replaces (200; 404 when absent; 422 without a
 * resourceVersion; 409 Conflict when it is not the stored one), PATCH with
 * `application/merge-patch+json` applies RFC 7386 (200; 404; 409 when the patch names a stale
 * resourceVersion); other patch types are refused with 415, which a real server gives custom
 * resources for strategic merge. No defaulting, no validation beyond that, no admission.
 */
import type { IncomingMessage } from 'node:http';
import type { K8sObject } from '../../core/types.js';

export interface WriteRequest {
  readonly method: string;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  /** The item's name for PUT and PATCH; absent for POST to the collection. */
  readonly name: string | undefined;
  readonly contentType: string;
  readonly body: unknown;
}

export interface WriteStore {
  find(kind: string, group: string, namespace: string | undefined, name: string): K8sObject | undefined;
  create(object: K8sObject): K8sObject;
  update(object: K8sObject): K8sObject;
}

export interface WriteAnswer {
  readonly code: number;
  readonly body: unknown;
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<{ text: string } | { tooLarge: true }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { tooLarge: true };
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

export function applyWrite(request: WriteRequest, store: WriteStore): WriteAnswer {
  const { method, group, version, plural, kind, namespace } = request;
  const resource = group ? `${plural}.${group}` : plural;
  const apiVersion = group ? `${group}/${version}` : version;
  const body = request.body as K8sObject | undefined;
  if (method === 'PATCH' && request.contentType.split(';')[0]?.trim() !== 'application/merge-patch+json') {
    return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`);
  }
  if (body === undefined || typeof body !== 'object' || Array.isArray(body) || body === null) return failure(400, 'BadRequest', 'the body of the request was in an unknown format');
  if (method === 'PATCH') return patch(request, store, resource, apiVersion);
  const metadata = body.metadata ?? {};
  if (body.apiVersion !== apiVersion || body.kind !== kind) return failure(400, 'BadRequest', `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
  if (namespace !== undefined && metadata.namespace !== undefined && metadata.namespace !== namespace) {
    return failure(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
  }
  const objectName = typeof metadata.name === 'string' ? metadata.name : undefined;
  const object: K8sObject = { ...body, metadata: { ...metadata, ...(namespace !== undefined ? { namespace } : {}) } };
  if (method === 'POST') return create(request, store, resource, object, objectName);
  if (method === 'PUT') return replace(request, store, resource, object, objectName);
  return failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
}

function create(request: WriteRequest, store: WriteStore, resource: string, object: K8sObject, objectName: string | undefined): WriteAnswer {
  if (!objectName) return failure(422, 'Invalid', `${request.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
  if (object.metadata?.resourceVersion) return failure(400, 'BadRequest', 'resourceVersion should not be set on objects to be created');
  if (store.find(request.kind, request.group, request.namespace, objectName)) return failure(409, 'AlreadyExists', `${resource} "${objectName}" already exists`);
  return { code: 201, body: store.create(object) };
}

function replace(request: WriteRequest, store: WriteStore, resource: string, object: K8sObject, objectName: string | undefined): WriteAnswer {
  const name = request.name ?? '';
  if (objectName !== name) return failure(400, 'BadRequest', `the name of the object (${objectName ?? ''}) does not match the name on the URL (${name})`);
  const current = store.find(request.kind, request.group, request.namespace, name);
  if (!current) return failure(404, 'NotFound', `${resource} "${name}" not found`);
  const resourceVersion = object.metadata?.resourceVersion;
  if (!resourceVersion) return failure(422, 'Invalid', `${request.kind} "${name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`);
  if (resourceVersion !== current.metadata?.resourceVersion) return conflict(resource, name);
  return { code: 200, body: store.update(object) };
}

function patch(request: WriteRequest, store: WriteStore, resource: string, apiVersion: string): WriteAnswer {
  const { kind, group, namespace, name } = request;
  const current = store.find(kind, group, namespace, name ?? '');
  if (!current) return failure(404, 'NotFound', `${resource} "${name ?? ''}" not found`);
  const patchBody = request.body as { metadata?: { resourceVersion?: unknown } };
  const wanted = patchBody.metadata?.resourceVersion;
  if (wanted !== undefined && wanted !== current.metadata?.resourceVersion) return conflict(resource, name ?? '');
  const merged = mergePatch(current, request.body) as K8sObject;
  return { code: 200, body: store.update({ ...merged, apiVersion, kind, metadata: { ...merged.metadata, name, ...(namespace !== undefined ? { namespace } : {}) } }) };
}

/** RFC 7386: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patchValue: unknown): unknown {
  if (patchValue === null || typeof patchValue !== 'object' || Array.isArray(patchValue)) return patchValue;
  const result: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patchValue)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const conflict = (resource: string, name: string): WriteAnswer =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`);

export function failure(code: number, reason: string, message: string): WriteAnswer {
  return { code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code } };
}
