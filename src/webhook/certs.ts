import { webcrypto } from 'node:crypto';
import './reflect-shim.js';
import * as x509 from '@peculiar/x509';

/**
 * A CA and a serving certificate for the webhook, made with WebCrypto so the product never shells
 * out to openssl. ECDSA P-256: small keys, fast handshakes, accepted by every API server version.
 */
export interface WebhookCertificates {
  readonly caCert: string;
  readonly caKey: string;
  readonly cert: string;
  readonly key: string;
}

export interface CertificateRequest {
  readonly service: string;
  readonly namespace: string;
  /** Extra DNS names or IP addresses (tests add 127.0.0.1). */
  readonly extraNames?: readonly string[];
  readonly days?: number;
  /** Reuse a CA (a test rotating the serving cert keeps the same trust root). */
  readonly ca?: { readonly cert: string; readonly key: string };
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** The names the API server may use to reach the Service: it dials `<service>.<namespace>.svc`. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

export async function generateCertificates(request: CertificateRequest): Promise<WebhookCertificates> {
  const days = request.days ?? 365;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const ca = request.ca ? await importCa(request.ca) : await newCa(request.service, notBefore, notAfter);
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const names = [...serviceDnsNames(request.service, request.namespace), ...(request.extraNames ?? [])];
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${request.service}.${request.namespace}.svc`,
    issuer: ca.cert.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((name) => (isIp(name) ? { type: 'ip' as const, value: name } : { type: 'dns' as const, value: name }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
    ],
  });
  return {
    caCert: ca.cert.toString('pem'),
    caKey: ca.keyPem,
    cert: leaf.toString('pem'),
    key: await keyPem(keys.privateKey),
  };
}

interface Ca {
  readonly cert: x509.X509Certificate;
  readonly keys: { readonly privateKey: CryptoKey };
  readonly keyPem: string;
}

async function newCa(service: string, notBefore: Date, notAfter: Date): Promise<Ca> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${service} webhook CA`,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys, keyPem: await keyPem(keys.privateKey) };
}

async function importCa(ca: { readonly cert: string; readonly key: string }): Promise<Ca> {
  const cert = new x509.X509Certificate(ca.cert);
  const der = x509.PemConverter.decodeFirst(ca.key);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
  return { cert, keys: { privateKey }, keyPem: ca.key };
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function serial(): string {
  // Positive 128-bit serials: the top bit clear so DER does not read it as negative.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] as number) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function isIp(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':');
}
