import type { ImageRef } from './image-ref.js';

/** A tag naming a moving target even when it carries digits (`latest-gpu`, `py3-latest`). */
const MOVING_WORD = /(^|[-_.])latest([-_.]|$)/i;
/** Channels that move unless a date or version pins the build: `nightly-py3-jupyter` moves, `nightly-20240101` does not. */
const MOVING_CHANNEL = /(^|[-_.])(?:nightly|edge|master|canary|snapshot)([-_.]|$)/i;
const PINNED_BUILD = /\d{6,}|\d+\.\d+/;

/**
 * Why a reference floats, or undefined when it is pinned. A digest pins whatever the tag says; a
 * tag with no digit (`latest`, `nightly`, `stable`, `gpu`) names no version at all.
 */
export function floatingReason(ref: ImageRef): string | undefined {
  if (ref.digest) return undefined;
  if (ref.tag === undefined) return 'no tag (pulls "latest")';
  if (MOVING_WORD.test(ref.tag) || (MOVING_CHANNEL.test(ref.tag) && !PINNED_BUILD.test(ref.tag))) return `tag "${ref.tag}" follows the newest build`;
  if (!/\d/.test(ref.tag)) return `tag "${ref.tag}" names no version`;
  return undefined;
}
