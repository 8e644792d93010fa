import yaml from 'js-yaml';
import { asArray, asRecord, asString, isRecord } from '../core/object.js';
import type { ApiOrigin, K8sObject } from '../core/types.js';
import { getJson, ApiError, type GetOptions } from './http-get.js';
import type { ApiObject, ApiRead } from './job-object.js';

export interface RayHuntOptions extends GetOptions {
  readonly base: URL;
}

/**
 * Reads the Ray Jobs API of a Ray head (the dashboard port, 8265), GET only: `/api/version` to
 * know it is Ray, then `/api/jobs/`, which lists every job ever submitted (no paging). Each job
 * is judged as the RayJob that would run it: its `entrypoint`, its `runtime_env` as the RayJob's
 * `runtimeEnvYAML`, and its `metadata`.
 * https://docs.ray.io/en/latest/cluster/running-applications/job-submission/api.html
 */
export async function readRay(options: RayHuntOptions): Promise<ApiRead & { readonly rayVersion?: string }> {
  const base = options.base.href.replace(/\/+$/, '');
  const version = asRecord(await getJson(new URL(`${base}/api/version`), options));
  if (!version || (asString(version.ray_version) === undefined && asString(version.version) === undefined)) {
    throw new ApiError(`${base}/api/version: not a Ray Jobs API answer`, undefined, 'give the Ray dashboard URL (port 8265 of the head)');
  }
  let body: unknown;
  try {
    body = await getJson(new URL(`${base}/api/jobs/`), options);
  } catch (error) {
    // Ray's one list: nothing of this API was read, so it stays an input error, worded as the list it is.
    if (error instanceof ApiError) throw new ApiError(`could not list jobs: ${error.message}`, error.status, error.hint);
    throw error;
  }
  // Ray 2.x answers a list of JobDetails; Ray 1.x a map from job id to details.
  const jobs = Array.isArray(body) ? body : isRecord(body) ? Object.entries(body).map(([id, job]) => ({ job_id: id, ...asRecord(job) })) : [];
  const read: ApiRead = { objects: [], problems: [], gaps: [], listed: { jobs: jobs.length } };
  for (const job of asArray(jobs).map(asRecord)) {
    if (!job) continue;
    const id = asString(job.submission_id) ?? asString(job.job_id) ?? 'unknown';
    const runtimeEnv = asRecord(job.runtime_env);
    const object: K8sObject = {
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name: id },
      spec: {
        entrypoint: asString(job.entrypoint) ?? '',
        ...(runtimeEnv && Object.keys(runtimeEnv).length > 0 ? { runtimeEnvYAML: yaml.dump(runtimeEnv) } : {}),
        ...(isRecord(job.metadata) ? { metadata: job.metadata } : {}),
      },
    };
    const started = typeof job.start_time === 'number' && job.start_time > 0 ? new Date(job.start_time).toISOString() : undefined;
    const origin: ApiOrigin = {
      kind: 'api',
      api: 'ray',
      endpoint: '/api/jobs/',
      id,
      uiLink: `${base}/#/jobs/${encodeURIComponent(id)}`,
      displayName: id,
      ...(started ? { createdAt: started } : {}),
      ...(asString(job.status) ? { status: asString(job.status) } : {}),
    };
    (read.objects as ApiObject[]).push({ object, origin });
  }
  const rayVersion = asString(version.ray_version);
  return { ...read, ...(rayVersion ? { rayVersion } : {}) };
}
