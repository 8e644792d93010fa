import { parentPort, workerData } from 'node:worker_threads';
import { slimDocument } from './slim.js';
import { parseChunk, type Chunk, type ChunkResult, type ParseLimits } from './yaml-documents.js';

interface Job {
  readonly text: string;
  readonly chunks: readonly Chunk[];
  readonly limits: ParseLimits;
}

const job = workerData as Job;
const results: ChunkResult[] = job.chunks.map((chunk) => {
  const result = parseChunk(job.text, chunk, job.limits);
  return result.error ? result : { values: result.values.map(slimDocument) };
});
parentPort?.postMessage(results);
