import { createGunzip } from 'node:zlib';
import { pipeline, Readable } from 'node:stream';
import { reusedFileChunks } from './file-chunks.js';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * The bytes of an audit log, gunzipped when they start with the gzip magic (rotated logs are
 * `.gz`, whatever they are named). Concatenated gzip members, as `cat a.gz b.gz` makes, are read
 * in turn. `chunks` may reuse a chunk's memory once the next is asked for (fileChunks does): what
 * is held across chunks here is copied, and so is what is queued for gunzip.
 */
export async function* decompressed(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    yield* decompressedFrom(iterator);
  } finally {
    // A consumer that stops early (the first-time peek reads a few KiB of each log) must close the
    // file: the iterator is read by hand below, so no `for await` returns it. Left open, each
    // peeked file held its descriptor until a collection closed it with a DEP0137 warning on stderr.
    await iterator.return?.();
  }
}

async function* decompressedFrom(iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  // The magic is two bytes, and a stream may hand them over one at a time.
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(Buffer.from(next.value));
    headBytes += next.value.length;
  }
  if (headBytes === 0) return;
  const start = Buffer.concat(head);
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield start;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  };
  const gzip = start.length >= 2 && start[0] === GZIP_MAGIC[0] && start[1] === GZIP_MAGIC[1];
  if (!gzip) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip();
  // pipeline, not pipe: a read error on the file must end the gunzip stream with it, not stall it.
  pipeline(Readable.from(copies(rest())), gunzip, () => undefined);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/** `Readable.from` reads ahead of gunzip: each chunk queued there must own its memory. */
async function* copies(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk);
}

/**
 * A file's bytes, in 64 KiB chunks of 1 MiB reads into reused memory (file-chunks.ts): **each
 * chunk is valid only until the next is asked for.** Lines are decoded one by one from the bytes
 * (line-splitter.ts), so a chunk's size decides the size of no string.
 */
export function fileChunks(path: string): AsyncIterable<Buffer> {
  return reusedFileChunks(path);
}
