import { readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import yaml from 'js-yaml';
import { isK8sObject, isRecord } from '../../src/core/object.js';
import type { K8sObject } from '../../src/core/types.js';
import { sharedPath } from '../../src/testing/shared.js';

type Json = Record<string, unknown>;

/**
 * Rejects fields the schema does not name, as `kubectl apply --validate=strict` does; schemas that
 * keep unknown fields on purpose are left open.
 */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
    return;
  }
  if (!isRecord(node)) return;
  const schema = node as Json;
  if (isRecord(schema.properties) && schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    schema.additionalProperties = false;
  }
  for (const value of Object.values(schema)) closeObjects(value);
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  const addFormats = addFormatsModule.default;
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'int-or-string', 'double', 'float']) ajv.addFormat(format, true);
  return ajv;
}

interface SchemaSet {
  readonly byGvk: Map<string, ValidateFunction>;
}

let loaded: SchemaSet | undefined;

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

function loadSchemas(): SchemaSet {
  if (loaded) return loaded;
  const byGvk = new Map<string, ValidateFunction>();
  const dir = sharedPath('schemas', 'k8s-openapi');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const document = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) as { components: { schemas: Record<string, Json> } };
    closeObjects(document.components.schemas);
    const ajv = newAjv();
    ajv.addSchema({ components: document.components }, name);
    for (const [schemaName, schema] of Object.entries(document.components.schemas)) {
      const gvks = schema['x-kubernetes-group-version-kind'];
      if (!Array.isArray(gvks)) continue;
      for (const gvk of gvks as { group: string; version: string; kind: string }[]) {
        if (gvk.kind.endsWith('List')) continue;
        const key = gvkKey(gvk.group, gvk.version, gvk.kind);
        if (byGvk.has(key)) continue;
        byGvk.set(key, ajv.compile({ $ref: `${name}#/components/schemas/${schemaName}` }));
      }
    }
  }
  const ajv = newAjv();
  const crds = yaml.loadAll(readFileSync(sharedPath('schemas', 'istio', 'crd-all.gen.yaml'), 'utf8'));
  for (const crd of crds) {
    if (!isRecord(crd) || !isRecord(crd.spec)) continue;
    const spec = crd.spec as Json;
    const group = String(spec.group);
    const kind = String((spec.names as Json).kind);
    for (const version of spec.versions as Json[]) {
      const schema = structuredClone((version.schema as Json).openAPIV3Schema) as Json;
      closeObjects((schema.properties as Json).spec);
      byGvk.set(gvkKey(group, String(version.name), kind), ajv.compile(schema));
    }
  }
  loaded = { byGvk };
  return loaded;
}

/** Schema errors of one object, or undefined when kfguard has no schema for its kind. */
export function schemaErrors(object: K8sObject): string[] | undefined {
  const slash = object.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : object.apiVersion.slice(0, slash);
  const version = slash === -1 ? object.apiVersion : object.apiVersion.slice(slash + 1);
  const validate = loadSchemas().byGvk.get(gvkKey(group, version, object.kind));
  if (!validate) return undefined;
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

export function hasSchema(object: K8sObject): boolean {
  return schemaErrors(object) !== undefined;
}

function objectsOf(text: string): K8sObject[] {
  return yaml.loadAll(text).filter(isK8sObject);
}

function keyOf(object: K8sObject): string {
  return `${object.apiVersion}/${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/**
 * Problems a fix introduced: every schema error of a new object, and errors of an edited object
 * that it did not have before (fixtures are often trimmed and miss required fields already).
 */
export function validateFixedFile(before: string, after: string): string[] {
  const original = new Map(objectsOf(before).map((o) => [keyOf(o), o]));
  const problems: string[] = [];
  for (const object of objectsOf(after)) {
    const errors = schemaErrors(object);
    if (errors === undefined) continue;
    const previous = original.get(keyOf(object));
    const known = new Set(previous ? (schemaErrors(previous) ?? []) : []);
    for (const error of errors) if (!known.has(error)) problems.push(`${keyOf(object)}: ${error}`);
  }
  return problems;
}
