import type { Store } from '../ports/store.js';

/**
 * With the in-process bus, a job's messages die with the process: jobs still queued or running at the
 * next start will never finish. Only safe where this process is the store's one owner (PGlite, behind
 * its lock file); with a shared Postgres another process may be running them.
 */
export async function failInterruptedJobs(store: Store): Promise<number> {
  let failed = 0;
  for (const status of ['queued', 'running'] as const) {
    for (;;) {
      const jobs = await store.listJobs({ status, limit: 500 });
      if (jobs.length === 0) break;
      for (const job of jobs) {
        await store.updateJob(job.id, {
          status: 'failed',
          error: { code: 'unavailable', message: 'interrupted: the platform stopped while this job was waiting or running; upload the file again to retry' },
        });
        failed++;
      }
    }
  }
  return failed;
}
