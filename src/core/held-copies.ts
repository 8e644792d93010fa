import type { ScannedObject } from './types.js';

/**
 * The copies of one identity a snapshot holds, one per slot (see `slotOf`): nearly always one,
 * kept as itself, since its slot can be told from it; a Map by slot from the second on. A
 * `[slot, copy]` pair per identity was 64 bytes of every listed object kept for the scan's life
 * (4 MB at the cluster bench's full size), and an allocation per upsert.
 */
export type HeldCopies = ScannedObject | Map<string, ScannedObject>;

/**
 * Files can hold the same object twice (a base and an overlay, two renders); each copy is judged and
 * reported. A cluster, an admission request or an audit event holds one copy per identity: the
 * empty slot.
 */
export function slotOf(scanned: ScannedObject): string {
  const origin = scanned.origin;
  return origin.kind === 'file' ? `${origin.file}\u0000${origin.documentIndex ?? ''}\u0000${origin.pathPrefix ?? ''}` : '';
}

export function copyIn(held: HeldCopies | undefined, slot: string): ScannedObject | undefined {
  if (held === undefined) return undefined;
  if (held instanceof Map) return held.get(slot);
  return slotOf(held) === slot ? held : undefined;
}

export function copiesIn(held: HeldCopies): ScannedObject[] {
  return held instanceof Map ? [...held.values()] : [held];
}

export function slotsIn(held: HeldCopies): [string, ScannedObject][] {
  return held instanceof Map ? [...held.entries()] : [[slotOf(held), held]];
}

/** Adds or, for a slot already held, replaces in place; insertion order is kept, as a Map keeps it. */
export function putCopy(entries: Map<string, HeldCopies>, identity: string, slot: string, scanned: ScannedObject): void {
  const held = entries.get(identity);
  if (held === undefined) entries.set(identity, scanned);
  else if (held instanceof Map) held.set(slot, scanned);
  else {
    const heldSlot = slotOf(held);
    entries.set(identity, heldSlot === slot ? scanned : new Map([[heldSlot, held], [slot, scanned]]));
  }
}
