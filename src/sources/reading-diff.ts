import { isCredentialName } from '../core/redact.js';

/**
 * Where two readings of one document first differ, said in one line: the path, what Kubernetes
 * reads there and what a YAML 1.2 reader reads. Values are cut short, and hidden in Secrets and
 * under credential-like keys, so the evidence never carries a secret.
 */
export function describeDifference(kubernetes: unknown, yaml12: unknown): string | undefined {
  const found = firstDifference(kubernetes, yaml12, '', false);
  if (!found) return undefined;
  const hide = found.secret || isSecret(kubernetes) || isSecret(yaml12);
  const where = found.path === '' ? 'the document' : found.path;
  return `at ${where} Kubernetes (go-yaml, YAML 1.1) reads ${show(found.a, hide)} but YAML 1.2 readers (js-yaml, most editors and linters) read ${show(found.b, hide)}`;
}

interface Difference {
  readonly path: string;
  readonly a: unknown;
  readonly b: unknown;
  readonly secret: boolean;
}

function firstDifference(a: unknown, b: unknown, path: string, secret: boolean): Difference | undefined {
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return { path, a, b, secret };
    for (let i = 0; i < a.length; i++) {
      const found = firstDifference(a[i], b[i], `${path}[${i}]`, secret);
      if (found) return found;
    }
    return undefined;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const child = path === '' ? key : `${path}.${key}`;
      const hidden = secret || isCredentialName(key);
      if (!(key in a) || !(key in b)) return { path: child, a: key in a ? a[key] : MISSING, b: key in b ? b[key] : MISSING, secret: hidden };
      const found = firstDifference(a[key], b[key], child, hidden);
      if (found) return found;
    }
    return undefined;
  }
  return { path, a, b, secret };
}

const MISSING = Symbol('missing');
const MAX_SHOWN = 80;

function show(value: unknown, hide: boolean): string {
  if (value === MISSING) return 'nothing';
  if (hide) return value === null ? 'null' : Array.isArray(value) ? `a list of ${value.length} (values hidden)` : `a ${typeof value === 'object' ? 'mapping' : typeof value} (value hidden)`;
  let text: string;
  try {
    text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSecret(value: unknown): boolean {
  return isPlainObject(value) && value.kind === 'Secret';
}
