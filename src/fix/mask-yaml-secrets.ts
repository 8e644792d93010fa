import { isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { isCredentialName, REDACTED, redactCredentialAssignments, redactUrlCredentials, redactYamlCredentials } from '../core/redact.js';

type Range = readonly [start: number, end: number];

/**
 * Masks every credential in YAML text by its place in the parsed structure, not by key order or
 * layout: values under a credential-named key, `value` of an env entry whose `name` is
 * credential-named (before or after it, block or flow), everything under `data`/`stringData` of
 * any Secret (also inside a `kind: List`), then credential flags and URL passwords anywhere.
 * Lines keep their count and indentation, so a diff of masked texts has the shape of the real one.
 * Text the `yaml` parser cannot read falls back to the line-by-line redaction.
 */
export function maskYamlSecrets(text: string): string {
  const ranges: Range[] = [];
  try {
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) return redactYamlCredentials(text);
      collect(document.contents, false, ranges);
    }
  } catch {
    return redactYamlCredentials(text);
  }
  // Line by line: a quoted value with no closing quote on its line (`--token="]`, the quote closing
  // the YAML string) must not swallow the lines after it; the preview keeps every line.
  return replaceRanges(text, ranges)
    .split('\n')
    .map((line) => redactUrlCredentials(redactCredentialAssignments(line)))
    .join('\n');
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

function collect(node: Node | null | undefined, masked: boolean, ranges: Range[]): void {
  if (!node) return;
  if (isScalar(node)) {
    if (masked && node.range) ranges.push([node.range[0], node.range[1]]);
    return;
  }
  if (isSeq(node)) {
    for (const item of node.items) collect(item as Node, masked, ranges);
    return;
  }
  if (!isMap(node)) return;
  const keyed = new Map<string, unknown>();
  for (const pair of node.items) {
    const key = scalarText(pair.key);
    if (key !== undefined) keyed.set(key, pair.value);
  }
  const secret = scalarText(keyed.get('kind')) === 'Secret';
  const envName = scalarText(keyed.get('name'));
  const credentialEnv = envName !== undefined && isCredentialName(envName);
  for (const pair of node.items) {
    const key = scalarText(pair.key) ?? '';
    const maskValue =
      masked || isCredentialName(key) || (secret && (key === 'data' || key === 'stringData')) || (credentialEnv && key === 'value');
    // A complex key could itself be a credential-bearing mapping.
    if (!isScalar(pair.key)) collect(pair.key as Node, masked, ranges);
    collect(pair.value as Node, maskValue, ranges);
  }
}

/** Each range becomes REDACTED on its first line and on each later line's content, keeping indentation and line count. */
function replaceRanges(text: string, ranges: readonly Range[]): string {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let out = '';
  let copied = 0;
  for (const [start, end] of sorted) {
    if (start < copied) continue;
    out += text.slice(copied, start);
    out += text
      .slice(start, end)
      .split('\n')
      .map((line, i) => {
        if (i === 0) return REDACTED;
        const content = line.trimStart();
        return content === '' ? line : `${line.slice(0, line.length - content.length)}${REDACTED}`;
      })
      .join('\n');
    copied = end;
  }
  return out + text.slice(copied);
}
