import { UsageError } from '../core/errors.js';
import type { Formatter } from './formatter.js';
import { jsonFormatter } from './json.js';
import { textFormatter } from './text.js';

export const FORMATTERS = {
  text: textFormatter,
  json: jsonFormatter,
} satisfies Record<string, Formatter>;

export type FormatName = keyof typeof FORMATTERS;

export function formatterFor(name: string): Formatter {
  const formatter = (FORMATTERS as Record<string, Formatter | undefined>)[name];
  if (!formatter) {
    throw new UsageError(`unknown format "${name}"`, `valid formats: ${Object.keys(FORMATTERS).join(', ')}`);
  }
  return formatter;
}
