import { Worker } from 'node:worker_threads';
import {
  assembleChunks,
  parseChunk,
  splitDocuments,
  type Chunk,
  type ChunkResult,
  type DocumentError,
  type ParsedDocument,
  type ParseLimits,
} from './yaml-documents.js';

/** Below this size a worker's start-up costs more than it saves. */
const PARALLEL_THRESHOLD_BYTES = 4 * 1024 * 1024;
/** The worker starts late, so it takes a little less than half of the bytes. */
const WORKER_SHARE = 0.45;

const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './yaml-worker.ts' : './yaml-worker.js', import.meta.url);

/**
 * Parses a large stream on two threads: the tail in a worker, the head here. Results are the same
 * as `parseYamlStream`; if the worker cannot run, its chunks are parsed here instead.
 */
export async function parseYamlStreamParallel(
  text: string,
  limits: ParseLimits,
): Promise<{ documents: ParsedDocument[]; errors: DocumentError[] }> {
  const chunks = splitDocuments(text);
  const split = splitPoint(chunks, text.length);
  if (text.length < PARALLEL_THRESHOLD_BYTES || split <= 0 || split >= chunks.length) {
    return assembleChunks(text, chunks, chunks.map((c) => parseChunk(text, c, limits)));
  }
  const tail = chunks.slice(split);
  const base = tail[0]!.start;
  const tailText = text.slice(base, tail[tail.length - 1]!.end);
  const shifted = tail.map((c) => ({ start: c.start - base, end: c.end - base, startLine: c.startLine }));
  const tailResults = runWorker(tailText, shifted, limits);
  const headResults = chunks.slice(0, split).map((c) => parseChunk(text, c, limits));
  const fromWorker = await tailResults.catch(() => tail.map((c) => parseChunk(text, c, limits)));
  return assembleChunks(text, chunks, [...headResults, ...fromWorker]);
}

function splitPoint(chunks: readonly Chunk[], total: number): number {
  const headBytes = total * (1 - WORKER_SHARE);
  const index = chunks.findIndex((c) => c.end >= headBytes);
  return index === -1 ? chunks.length : index + 1;
}

function runWorker(text: string, chunks: readonly Chunk[], limits: ParseLimits): Promise<ChunkResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: { text, chunks, limits } });
    worker.once('message', (results: ChunkResult[]) => {
      resolve(results);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`YAML worker exited with ${code}`));
    });
  });
}
