import { parentPort, workerData } from 'node:worker_threads';
import { bcryptMatches } from './bcrypt.js';

interface Job {
  readonly hashes: readonly string[];
  readonly passwords: readonly string[];
}

const job = workerData as Job;
const verdicts: { hash: string; password: string; verdict: boolean }[] = [];
for (const hash of job.hashes) {
  for (const password of job.passwords) {
    const verdict = bcryptMatches(password, hash);
    if (verdict === undefined) break;
    verdicts.push({ hash, password, verdict });
    if (verdict) break;
  }
}
parentPort?.postMessage(verdicts);
