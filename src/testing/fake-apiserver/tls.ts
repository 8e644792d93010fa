/**
 * Test-only: a CA and a serving certificate for 127.0.0.1, so the fake API server speaks HTTPS and
 * the real client verifies it against the CA in the kubeconfig, as with a real cluster. Made with
 * the product's own WebCrypto generator (webhook/certs.ts): tests must run on a machine with only
 * Node and npm, and openssl is not always there.
 */
import { generateCertificates } from '../../webhook/certs.js';

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** The CA that signed `certPem`: what a client trusts. */
  readonly caPem: string;
}

let cached: Promise<ServerCertificate> | undefined;

/** One certificate per test process: making it costs milliseconds, but every fake server asks. */
export function localhostCertificate(): Promise<ServerCertificate> {
  cached ??= generateCertificates({ service: 'fake-apiserver', namespace: 'test', extraNames: ['127.0.0.1', 'localhost'], days: 2 }).then((c) => ({
    certPem: c.cert,
    keyPem: c.key,
    caPem: c.caCert,
  }));
  return cached;
}
