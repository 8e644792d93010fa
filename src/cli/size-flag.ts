/**
 * A size as flags take it: a number of bytes, or with a binary unit (`512k`, `16MB`, `1g`, `16MiB`;
 * the unit's case, an `i` and a trailing `b` do not matter: the units are binary whichever way
 * they are written). Undefined when it is not one (`1e3`, `0x10`, `-1`, `1.5m`, past 2^53).
 */
export function sizeInBytes(value: string): number | undefined {
  const match = /^(\d+)\s*(?:([kmg])i?b?|b)?$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Number(match[1]) * factor;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
