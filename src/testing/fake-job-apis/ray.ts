import type { FakeRoute } from './server.js';

/**
 * A Ray head's Jobs API answers (test-only). Shapes follow the Ray Jobs REST API specification
 * (https://docs.ray.io/en/latest/cluster/running-applications/job-submission/api.html):
 * `GET /api/version` → {version, ray_version, ray_commit}; `GET /api/jobs/` → a list of JobDetails
 * {type, job_id, submission_id, driver_info, status, entrypoint, message, error_type, start_time,
 * end_time (ms since the epoch), metadata, runtime_env, driver_agent_http_address, driver_node_id, driver_exit_code}.
 */
export function rayRoutes(jobs: readonly Record<string, unknown>[], rayVersion = '2.40.0'): FakeRoute[] {
  return [
    (url) => (url.pathname === '/api/version' ? { status: 200, body: { version: '4', ray_version: rayVersion, ray_commit: 'f0e9d8c7b6a5' } } : undefined),
    (url) => (url.pathname === '/api/jobs/' ? { status: 200, body: jobs } : undefined),
  ];
}

/** A JobDetails record as Ray 2.x returns it. */
export function rayJob(fields: { submission_id: string; entrypoint: string; status?: string; runtime_env?: Record<string, unknown>; metadata?: Record<string, string>; start_time?: number }): Record<string, unknown> {
  return {
    type: 'SUBMISSION',
    job_id: null,
    submission_id: fields.submission_id,
    driver_info: null,
    status: fields.status ?? 'RUNNING',
    entrypoint: fields.entrypoint,
    message: 'Job is currently running.',
    error_type: null,
    start_time: fields.start_time ?? 1_764_000_000_000,
    end_time: null,
    metadata: fields.metadata ?? {},
    runtime_env: fields.runtime_env ?? {},
    driver_agent_http_address: 'http://10.0.0.5:52365',
    driver_node_id: 'b7c2e0f3a1d94e5c8f6a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a',
    driver_exit_code: null,
  };
}
