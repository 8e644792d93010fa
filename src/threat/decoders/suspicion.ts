/**
 * How suspicious an encoded-looking run is, to decide what is decoded first when not everything
 * can be: what the text does with it (piped into a decoder or a shell, passed to `b64decode`,
 * `exec`), then its entropy and character mix. Position in the text never counts, so decoys
 * placed first cannot starve the payload that follows them.
 */

/** Words after a run that mean it is decoded or run: `| base64 -d | sh`, `').decode()`, `| xxd -r`. */
const DECODED_AFTER = /\b(?:base64|base32|basenc|b64decode|b32decode|fromhex|unhexlify|decode|decompress|xxd|openssl|rev|tr|gunzip|zcat|zlib|inflate|pack|sh|bash|eval|exec|python\d?|perl|source)\b|\[::-1\]/;
/** Words before a run that hand it to a decoder: `echo RUN`, `<<< RUN`, `b64decode("RUN`. */
const DECODED_BEFORE = /(?:\becho|\bprintf|<<<|\bdecode|b64decode|b32decode|fromhex|unhexlify|\bexec|\beval|\bpack|\bsystem|-d)\b[^\n]{0,24}$|<<<\s*["']?$/;
const WINDOW = 80;

export function suspicionOf(text: string, index: number, run: string): number {
  const after = text.slice(index + run.length, index + run.length + WINDOW);
  const before = text.slice(Math.max(0, index - WINDOW), index);
  let score = 0;
  if (DECODED_AFTER.test(after)) score += 8;
  if (DECODED_BEFORE.test(before)) score += 4;
  score += entropyOf(run);
  if (/\d/.test(run)) score += 1;
  if (/[a-z]/.test(run) && /[A-Z]/.test(run)) score += 1;
  if (/[+/=%\\]/.test(run)) score += 1;
  // A run of letters of one case is a word or an identifier far more often than a payload.
  if (/^[a-z]+$/.test(run) || /^[A-Z]+$/.test(run)) score -= 5;
  return score;
}

/** Shannon entropy in bits per character over the first 256 characters (the rest adds little). */
function entropyOf(run: string): number {
  const sample = run.length > 256 ? run.slice(0, 256) : run;
  const counts = new Map<string, number>();
  for (const c of sample) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / sample.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
