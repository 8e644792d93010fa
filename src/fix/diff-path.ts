import { isAbsolute, relative, sep } from 'node:path';

/**
 * The path a `fix` preview names in its `--- a/…` and `+++ b/…` headers, as git names it: relative
 * to the working directory when the file is inside it, else the absolute path without its leading
 * `/` (git's `a/tmp/x.yaml`, never `a//tmp/x.yaml`), so `patch -p1` applies the preview from the
 * working directory or from `/`. Forward slashes on every platform, as in git.
 */
export function diffPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  const outside = rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  const shown = outside ? path.replace(/^[A-Za-z]:/, '').replace(/^[\\/]+/, '') : rel;
  return shown.split(sep).join('/');
}

/** C0 controls, DEL, C1 controls, the Unicode line separators and bidi controls: never written raw into a header. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069"\\]/u;
const NAMED: Readonly<Record<string, string>> = { '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };

/**
 * A header name (`a/` or `b/` and the path) quoted as git quotes it when it holds a character that
 * could end the line or act on a terminal: in double quotes, with C escapes and the other unsafe
 * characters as octal UTF-8 bytes (GNU patch reads both). Other names stay as they are.
 */
export function quoteHeaderName(name: string): string {
  if (!UNSAFE.test(name)) return name;
  let out = '';
  for (const c of name) {
    if (NAMED[c] !== undefined) out += NAMED[c];
    else if (UNSAFE.test(c)) out += [...Buffer.from(c, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
    else out += c;
  }
  return `"${out}"`;
}
