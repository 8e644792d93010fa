/**
 * Test-only: a self-signed certificate for 127.0.0.1, so the fake API server speaks HTTPS and the
 * real client verifies it against a CA in the kubeconfig, as with a real cluster. The openssl CLI
 * is used because this runs in tests only; the product never creates certificates.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

let cached: ServerCertificate | undefined;

/** One certificate per test process: making it costs tens of milliseconds. */
export function localhostCertificate(): ServerCertificate {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-fake-apiserver-'));
  try {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=fake-apiserver', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
    cached = { certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
