import { isK8sObject, isRecord } from '../core/object.js';
import type { FileOrigin, FileScannedObject } from '../core/types.js';
import { slimDocument } from './slim.js';
import { asGoDecodedWorkflow } from './kfp-v1.js';
import { DOCUMENT_RECOGNIZERS } from './recognizers.js';

export interface DocumentObjects {
  readonly objects: FileScannedObject[];
  /** True when the document is neither a Kubernetes object nor a known pipeline format. */
  readonly skipped: boolean;
}

/** Expands `List`/`*List` documents and recognises pipeline formats. */
export function documentToObjects(document: unknown, origin: FileOrigin): DocumentObjects {
  // KFP v1 packages are Argo workflows decoded by Go: `Container:` and `Kind:` are real fields.
  const value = asGoDecodedWorkflow(document);
  if (isK8sObject(value)) {
    const items = value.items;
    if (value.kind.endsWith('List') && Array.isArray(items)) {
      const objects: FileScannedObject[] = [];
      items.forEach((item, i) => {
        if (isK8sObject(item)) objects.push({ object: item, origin: { ...origin, pathPrefix: `items[${i}]` } });
      });
      return { objects, skipped: false };
    }
    return { objects: [{ object: slimDocument(value), origin }], skipped: false };
  }
  if (isRecord(value)) {
    const context = { file: origin.file };
    for (const recognize of DOCUMENT_RECOGNIZERS) {
      const object = recognize(value, context);
      if (object) return { objects: [{ object, origin }], skipped: false };
    }
  }
  return { objects: [], skipped: true };
}

