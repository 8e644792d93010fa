import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { z } from 'zod';
import { packageDataDir } from '../data/data-dir.js';

/** What an answer must look like to count: see the header of `data/probe/fingerprints.yaml`. */
const matcherSchema = z
  .object({
    status: z.number().int().min(100).max(599).default(200),
    json: z
      .object({
        keys: z.array(z.string().min(1)).optional(),
        anyKeys: z.array(z.string().min(1)).optional(),
        array: z.boolean().optional(),
        /** For an array: keys every listed item (an object) has. A non-empty list of other things is not this product. */
        itemKeys: z.array(z.string().min(1)).optional(),
        /** Keys that, when present, must be empty: a list answered with its errors (`errors: [403 …]`) is a refusal, not data. */
        emptyKeys: z.array(z.string().min(1)).optional(),
        values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      })
      .strict()
      .optional(),
    body: z.array(z.string()).optional(),
  })
  .strict()
  .refine((m) => m.json !== undefined || (m.body !== undefined && m.body.length > 0), 'a matcher needs "json" or a non-empty "body"')
  // A bare `array: true` matches any catch-all server that answers `[]`: lists need positive marks.
  .refine((m) => m.json?.array !== true || (m.json.itemKeys !== undefined && m.json.itemKeys.length > 0), 'an "array" matcher needs "itemKeys"');

/** Argo-style namespaced paths: `{namespace}` is filled from another answer's field and from `--namespace`. */
const namespacesSchema = z
  .object({
    /** A probe path of the same product whose JSON answer names the namespace (Argo's `/api/v1/info`). */
    fromPath: z.string(),
    field: z.string().min(1),
    /** Asked when nothing names one (the install's usual namespaces). */
    defaults: z.array(z.string()).default([]),
  })
  .strict();

const httpsUrl = z.string().regex(/^https:\/\/\S+$/, 'must be an https URL');

const probeSchema = z
  .object({
    path: z.string().regex(/^\/[^\s#]*$/, 'must start with "/" and hold no spaces or fragment'),
    open: matcherSchema.optional(),
    identify: matcherSchema.optional(),
    show: z.array(z.string()).default([]),
    namespaces: namespacesSchema.optional(),
    note: z.string().optional(),
    /** A second rule this answer proves, when a shown field has a value (KFP `multi_user: false`). */
    alsoWhen: z.object({ ruleId: z.string(), field: z.string(), equals: z.union([z.string(), z.number(), z.boolean()]) }).strict().optional(),
    source: httpsUrl,
  })
  .strict()
  .refine((p) => (p.open === undefined) !== (p.identify === undefined), 'a probe has exactly one of "open" and "identify"')
  .refine((p) => (p.namespaces !== undefined) === p.path.includes('{namespace}'), 'a path with "{namespace}" needs "namespaces", and only such a path');

const productSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    name: z.string().min(1),
    ruleId: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    severity: z.enum(['critical', 'high', 'medium', 'low', 'info']).optional(),
    source: httpsUrl,
    probes: z.array(probeSchema).min(1),
  })
  .strict();

const fileSchema = z.object({ version: z.literal(1), updated: z.union([z.string(), z.date()]), products: z.array(productSchema).min(1) }).strict();

export type ResponseMatcher = z.infer<typeof matcherSchema>;
export type ProductProbe = z.infer<typeof probeSchema>;
export type ProductFingerprint = z.infer<typeof productSchema>;

let shipped: readonly ProductFingerprint[] | undefined;

/** The shipped fingerprints, read once. */
export function shippedFingerprints(): readonly ProductFingerprint[] {
  shipped ??= readFingerprintFile(join(packageDataDir('probe'), 'fingerprints.yaml'));
  return shipped;
}

/** Reads and validates a fingerprint file; an error names the file and the entry at fault. */
export function readFingerprintFile(file: string): readonly ProductFingerprint[] {
  const parsed = fileSchema.safeParse(yaml.load(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const ids = new Set<string>();
  for (const product of parsed.data.products) {
    if (ids.has(product.id)) throw new Error(`${file}: duplicate product id ${product.id}`);
    ids.add(product.id);
    const paths = new Set(product.probes.map((probe) => probe.path));
    for (const probe of product.probes) {
      if (probe.namespaces && !paths.has(probe.namespaces.fromPath)) throw new Error(`${file}: ${product.id} ${probe.path}: namespaces.fromPath ${probe.namespaces.fromPath} is not a probe of this product`);
    }
  }
  return parsed.data.products;
}
