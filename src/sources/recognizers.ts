import type { K8sObject } from '../core/types.js';

/**
 * Turns a parsed document that is not a Kubernetes object (a KFP pipeline package, say) into a
 * Kubernetes-shaped object so the same rules judge it. The document's own fields must stay at the
 * top level, so that rule paths still point at real lines in the file.
 */
export type DocumentRecognizer = (value: unknown, context: { readonly file?: string }) => K8sObject | undefined;

export const DOCUMENT_RECOGNIZERS: readonly DocumentRecognizer[] = [];
