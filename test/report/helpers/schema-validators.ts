import AjvDraft04Module from 'ajv-draft-04';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { AnySchemaObject } from 'ajv';

/** Error lines for a document; empty when it is valid. */
export type Validate = (data: unknown) => string[];

// These packages are CommonJS with `exports.default`; under NodeNext the class sits on `.default`.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

function wrap(validate: ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null }): Validate {
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

/** For the SARIF schema, which is JSON Schema draft-04. */
export function draft04Validator(schema: AnySchemaObject): Validate {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv);
  return wrap(ajv.compile(schema));
}

/** For CRD `openAPIV3Schema`s; `strict: false` lets Kubernetes' `x-kubernetes-*` keywords through. */
export function openApiValidator(schema: AnySchemaObject): Validate {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return wrap(ajv.compile(schema));
}
