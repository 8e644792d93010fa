/**
 * A document kfguard refused to read (too large, too deep, bad syntax, an alias bomb) still
 * reaches the rules, as this stand-in holding its raw text, so a miner inside it is not lost with
 * it: `manifest-parse-ambiguity` searches the text for threat indicators and reports them beside
 * the refusal. No real API group uses `kfguard.dev`.
 */
export const UNREAD_DOCUMENT_API_VERSION = 'kfguard.dev/v1';
export const UNREAD_DOCUMENT_KIND = 'UnreadDocument';
/** The raw text kept for the search; the threat scanner's own budget for one object's text. */
export const UNREAD_TEXT_LIMIT = 4 * 1024 * 1024;

export interface UnreadDocument {
  readonly apiVersion: typeof UNREAD_DOCUMENT_API_VERSION;
  readonly kind: typeof UNREAD_DOCUMENT_KIND;
  readonly metadata: { readonly name: string };
  /** Why kfguard refused the document. */
  readonly refusal: string;
  /** The document's text, cut at UNREAD_TEXT_LIMIT characters. */
  readonly text: string;
  /** Characters past the limit that were not searched. */
  readonly unsearched: number;
  /**
   * A best-effort reading of a document refused for its syntax (a parser's error recovery): the
   * threat search reads its workloads as it would a parsed document's, never judging it otherwise.
   */
  readonly salvaged?: readonly Record<string, unknown>[];
  /** Why only part of the document was salvaged (a size limit), for the evidence. */
  readonly salvageCut?: string;
  /** How `text` was shortened without losing any of it (a CRD schema's repeated entries read once), for the evidence. */
  readonly condensed?: string;
}

/** A refused document's best-effort reading (sources/salvage-reading.ts). */
export interface SalvagedReading {
  readonly objects: readonly Record<string, unknown>[];
  readonly cut?: string;
}

export function unreadDocument(name: string, refusal: string, text: string, salvage?: SalvagedReading, condensed?: string): UnreadDocument {
  return {
    ...(salvage && salvage.objects.length > 0 ? { salvaged: salvage.objects } : {}),
    ...(salvage?.cut ? { salvageCut: salvage.cut } : {}),
    ...(condensed ? { condensed } : {}),
    apiVersion: UNREAD_DOCUMENT_API_VERSION,
    kind: UNREAD_DOCUMENT_KIND,
    metadata: { name },
    refusal,
    text: text.length > UNREAD_TEXT_LIMIT ? text.slice(0, UNREAD_TEXT_LIMIT) : text,
    unsearched: Math.max(0, text.length - UNREAD_TEXT_LIMIT),
  };
}

export function isUnreadDocument(value: unknown): value is UnreadDocument {
  const v = value as Partial<UnreadDocument> | null;
  return typeof v === 'object' && v !== null && v.apiVersion === UNREAD_DOCUMENT_API_VERSION && v.kind === UNREAD_DOCUMENT_KIND && typeof v.text === 'string';
}
