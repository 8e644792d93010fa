import { open } from 'node:fs/promises';

/** How much one read asks the kernel for, and how much of it is handed on at a time. */
export interface FileChunkSizes {
  readonly readBytes: number;
  readonly sliceBytes: number;
}

/**
 * 1 MiB reads handed on in 64 KiB slices. The reads are few (one thread-pool round trip per MiB);
 * the slices keep what a consumer decodes and judges at once as small as 64 KiB reads did, so the
 * strings of a chunk's lines still die young (docs/benchmarks.md, "Audit logs", ninth round).
 */
export const FILE_CHUNK_SIZES: FileChunkSizes = { readBytes: 1024 * 1024, sliceBytes: 64 * 1024 };

/**
 * A file's bytes, read into two buffers that take turns: the next read is in flight on the thread
 * pool while the consumer works on the bytes of the last one, and no memory is allocated per read.
 * A stream (`createReadStream`) allocates a new buffer for every read, external memory that V8
 * counts towards its next collection, and its machinery cost more CPU than the reads themselves
 * (1.1–2.1 s per GB against 0.3 s, docs/benchmarks.md).
 *
 * The price is a contract: **each chunk is valid only until the next one is asked for**, as its
 * memory is read into again. A consumer that keeps bytes across chunks copies them (the line
 * cutter does; gzip input is copied before it is queued, open-input.ts).
 */
export async function* reusedFileChunks(path: string, sizes: FileChunkSizes = FILE_CHUNK_SIZES): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  let filling = Buffer.allocUnsafeSlow(sizes.readBytes);
  let spare = Buffer.allocUnsafeSlow(sizes.readBytes);
  let position = 0;
  let pending: Promise<{ bytesRead: number }> | undefined = handle.read(filling, 0, sizes.readBytes, position);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) return;
      const current = filling;
      filling = spare;
      spare = current;
      position += bytesRead;
      pending = handle.read(filling, 0, sizes.readBytes, position);
      for (let start = 0; start < bytesRead; start += sizes.sliceBytes) yield current.subarray(start, Math.min(start + sizes.sliceBytes, bytesRead));
    }
  } finally {
    // A read still in flight must finish before the descriptor is closed (and its number reused).
    await pending?.catch(() => undefined);
    await handle.close();
  }
}
