import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { pipeline, Readable } from 'node:stream';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * The bytes of an audit log, gunzipped when they start with the gzip magic (rotated logs are
 * `.gz`, whatever they are named). Concatenated gzip members, as `cat a.gz b.gz` makes, are read
 * in turn.
 */
export async function* decompressed(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  // The magic is two bytes, and a stream may hand them over one at a time.
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
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
  pipeline(Readable.from(rest()), gunzip, () => undefined);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/**
 * A file's bytes in 64 KiB reads (Node's default). Lines are decoded one by one from the bytes
 * (line-splitter.ts), so a read's size no longer decides the size of any string; smaller reads
 * hold less memory between collections and counted no more instructions than 256 KiB or 1 MiB
 * ones on the bench log (docs/benchmarks.md, "Audit logs", fourth round).
 */
export function fileChunks(path: string): AsyncIterable<Buffer> {
  return createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>;
}
