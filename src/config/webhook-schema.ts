import { z } from 'zod';

const names = z.array(z.string().trim().min(1, { message: 'expected a non-empty name' })).min(1, { message: 'expected at least one entry' });

/**
 * One exemption of the admission webhook. Every field given must match (namespace AND user …);
 * within a field any entry matches. Lives only in the server's config file: the object's author
 * never gets to exempt it.
 */
export const webhookExemptionSchema = z.strictObject({
  namespaces: names.optional(),
  users: names.optional(),
  groups: names.optional(),
  /** Resource names (metadata.name of the admitted object). */
  names: names.optional(),
  kinds: names.optional(),
  /** Only these rules are exempted; absent: every rule. */
  rules: names.optional(),
  reason: z.string().trim().min(1, { message: 'expected a non-empty reason' }),
});

/** `webhook:` in `.kfguard.yaml`, read by `kfguard webhook serve`; other commands ignore it. */
export const webhookSettingsSchema = z.strictObject({
  exemptions: z.array(webhookExemptionSchema).optional(),
});

export type WebhookExemption = z.infer<typeof webhookExemptionSchema>;
