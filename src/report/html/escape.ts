import { escapeForTerminalLines, escapeJsonText } from '../terminal-safe.js';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attribute values. Scanned files are hostile input. */
export function escapeHtml(text: string): string {
  // String(): a value typed as text may still be a number read from a hostile file. Controls,
  // bidi overrides and invisible characters are shown as `\uXXXX`, as in the text report.
  return escapeForTerminalLines(String(text)).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON that is safe inside a `<script type="application/json">` element: no `</script>`, no `<!--`,
 * and no line separators that older parsers treat as newlines.
 */
export function jsonForScript(value: unknown): string {
  return escapeJsonText(JSON.stringify(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
