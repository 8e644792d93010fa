/**
 * A size as flags take it: a number of bytes, or with a binary unit (`512k`, `16MB`, `1g`; the
 * unit's case and a trailing `b` do not matter). Undefined when it is not one.
 */
export function sizeInBytes(value: string): number | undefined {
  const match = /^(\d+)\s*(k|kb|m|mb|g|gb)?$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? '').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Number(match[1]) * factor;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
