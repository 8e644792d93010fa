/**
 * The load generator of `npm run bench:webhook`, in its own process so it never shares an event
 * loop with the server it measures. Drives one server over HTTPS keep-alive with undici and reports
 * by IPC. Latency in the open-loop phase runs from each request's scheduled start, so a stalled
 * server cannot hide its queueing by slowing the sender (coordinated omission).
 */
import { Pool } from 'undici';

export interface LoadJob {
  readonly port: number;
  readonly ca: string;
  readonly body: string;
  readonly phase: 'throughput' | 'rate' | 'burst' | 'volume';
  readonly durationMs?: number;
  readonly concurrency?: number;
  readonly rps?: number;
  readonly requests?: number;
  /** For `volume`: after this many requests, tell the parent (which reads the server's RSS). */
  readonly marks?: readonly number[];
}

export interface LoadResult {
  readonly completed: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly latenciesMs: number[];
}

const send = (message: unknown): void => void process.send?.(message);

function pool(job: LoadJob, connections: number): Pool {
  return new Pool(`https://127.0.0.1:${job.port}`, {
    connections,
    pipelining: 1,
    connect: { ca: job.ca, servername: 'kfguard-webhook.kfguard.svc' },
  });
}

async function post(client: Pool, body: string): Promise<boolean> {
  const { statusCode, body: response } = await client.request({ path: '/validate', method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  return statusCode === 200 && text.includes('"allowed":true');
}

async function closedLoop(job: LoadJob, client: Pool, until: (done: number, now: number) => boolean, onDone?: (done: number) => Promise<void>): Promise<LoadResult> {
  const start = performance.now();
  let completed = 0;
  let errors = 0;
  let issued = 0;
  const latenciesMs: number[] = [];
  await Promise.all(
    Array.from({ length: job.concurrency ?? 16 }, async () => {
      while (!until(issued, performance.now())) {
        issued += 1;
        const t0 = performance.now();
        const ok = await post(client, job.body).catch(() => false);
        latenciesMs.push(performance.now() - t0);
        if (ok) completed += 1;
        else errors += 1;
        if (onDone) await onDone(completed + errors);
      }
    }),
  );
  return { completed, errors, elapsedMs: performance.now() - start, latenciesMs };
}

async function openLoop(job: LoadJob, client: Pool): Promise<LoadResult> {
  const rps = job.rps ?? 500;
  const total = Math.round((rps * (job.durationMs ?? 10_000)) / 1000);
  const start = performance.now();
  let completed = 0;
  let errors = 0;
  const latenciesMs: number[] = [];
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      post(client, job.body)
        .catch(() => false)
        .then((ok) => {
          latenciesMs.push(performance.now() - due);
          if (ok) completed += 1;
          else errors += 1;
        }),
    );
  }
  await Promise.all(pending);
  return { completed, errors, elapsedMs: performance.now() - start, latenciesMs };
}

async function burst(job: LoadJob, client: Pool): Promise<LoadResult> {
  const n = job.requests ?? 200;
  const start = performance.now();
  const latenciesMs: number[] = [];
  const results = await Promise.all(
    Array.from({ length: n }, async () => {
      const ok = await post(client, job.body).catch(() => false);
      latenciesMs.push(performance.now() - start);
      return ok;
    }),
  );
  const completed = results.filter(Boolean).length;
  return { completed, errors: n - completed, elapsedMs: performance.now() - start, latenciesMs };
}

process.once('message', (job: LoadJob) => {
  void (async () => {
    const connections = job.phase === 'burst' ? (job.requests ?? 200) : job.phase === 'rate' ? 64 : (job.concurrency ?? 16);
    const client = pool(job, connections);
    // Warm-up: TLS sessions, JIT on both sides.
    await closedLoop({ ...job, concurrency: Math.min(connections, 16) }, client, (done) => done >= 400);
    let result: LoadResult;
    if (job.phase === 'throughput') {
      const end = performance.now() + (job.durationMs ?? 10_000);
      result = await closedLoop(job, client, (_done, now) => now >= end);
    } else if (job.phase === 'rate') {
      result = await openLoop(job, client);
    } else if (job.phase === 'burst') {
      result = await burst(job, client);
    } else {
      const marks = [...(job.marks ?? [])];
      const total = job.requests ?? 100_000;
      result = await closedLoop(job, client, (issued) => issued >= total, async (done) => {
        if (marks.length > 0 && done >= (marks[0] as number)) send({ mark: marks.shift() });
      });
      result = { ...result, latenciesMs: [] };
    }
    await client.close();
    send({ result });
  })();
});
