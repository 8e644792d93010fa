import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { errorMessage } from '../core/errors.js';

export interface KeyPair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export async function readKeyPair(certFile: string, keyFile: string): Promise<KeyPair> {
  const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
  return { cert, key };
}

/**
 * Reloads the serving certificate when its files change (cert-manager rotates them by swapping a
 * symlink in the mounted Secret's directory). fs.watch on the directories reacts at once; a
 * periodic stat catches what watches miss (some volume types, renamed directories). A pair that
 * does not load (cert and key written a moment apart) keeps the old one until the next change.
 */
export class CertReloader {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private signature = '';
  private pending: Promise<void> | undefined;

  constructor(
    private readonly certFile: string,
    private readonly keyFile: string,
    private readonly apply: (pair: KeyPair) => void,
    private readonly onResult: (result: 'reloaded' | 'failed', detail?: string) => void,
    private readonly intervalMs = 10_000,
  ) {}

  async start(): Promise<void> {
    this.signature = await this.currentSignature();
    for (const dir of new Set([dirname(this.certFile), dirname(this.keyFile)])) {
      try {
        const watcher = watch(dir, () => void this.check());
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // The periodic check still covers a directory that cannot be watched.
      }
    }
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    clearInterval(this.timer);
  }

  /** Reloads when the files' size, mtime or inode changed; one check at a time. */
  check(): Promise<void> {
    this.pending ??= this.reloadIfChanged().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async reloadIfChanged(): Promise<void> {
    let signature: string;
    try {
      signature = await this.currentSignature();
    } catch (error) {
      this.onResult('failed', errorMessage(error));
      return;
    }
    if (signature === this.signature) return;
    try {
      const pair = await readKeyPair(this.certFile, this.keyFile);
      // Throws on a key that does not match the certificate, before the live context is touched.
      createSecureContext({ cert: pair.cert, key: pair.key } satisfies SecureContextOptions);
      this.apply(pair);
      this.signature = signature;
      this.onResult('reloaded');
    } catch (error) {
      this.onResult('failed', errorMessage(error));
    }
  }

  private async currentSignature(): Promise<string> {
    const stats = await Promise.all([stat(this.certFile), stat(this.keyFile)]);
    return stats.map((s) => `${s.ino}:${s.size}:${s.mtimeMs}`).join('|');
  }
}
