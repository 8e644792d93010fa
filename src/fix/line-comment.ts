/**
 * The comment text (after `#`) for a line that already has `existing` and gains kfguard's `note`.
 * The user's comment stays first, as they wrote it (a pin's reason, a ticket); the note follows
 * on the same line. A note already there is not added twice.
 */
export function commentWithNote(existing: string | null | undefined, note: string): string {
  if (existing === undefined || existing === null || existing.trim() === '') return note;
  if (existing.includes(note.trim())) return existing;
  return `${existing.trimEnd()} #${note}`;
}
