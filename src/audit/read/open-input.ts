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
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) return;
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield first.value as Buffer;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  };
  const head = first.value;
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  if (!gzip) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip();
  // pipeline, not pipe: a read error on the file must end the gunzip stream with it, not stall it.
  pipeline(Readable.from(rest()), gunzip, () => undefined);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/** A file's bytes in 1 MiB reads. */
export function fileChunks(path: string): AsyncIterable<Buffer> {
  return createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>;
}
