import type { JobRecord, Store } from '../ports/store.js';

const TERMINAL = new Set(['succeeded', 'failed']);
export const isTerminal = (job: JobRecord): boolean => TERMINAL.has(job.status);

/**
 * Waits until every job is finished, or the timeout passes, polling the store: the store, not process
 * memory, is where progress lives, so this works whichever replica does the work.
 */
export async function waitForJobs(
  store: Store,
  ids: string[],
  options: { timeoutMs: number; pollMs?: number; signal?: AbortSignal; onPoll?: (jobs: JobRecord[]) => void },
): Promise<{ jobs: JobRecord[]; timedOut: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  let poll = 5;
  for (;;) {
    const jobs = (await Promise.all(ids.map((id) => store.getJob(id)))).filter((j): j is JobRecord => j !== undefined);
    options.onPoll?.(jobs);
    if (jobs.length === ids.length && jobs.every(isTerminal)) return { jobs, timedOut: false };
    if (Date.now() >= deadline || options.signal?.aborted) return { jobs, timedOut: true };
    await new Promise((r) => setTimeout(r, poll));
    // Start fast so small uploads answer quickly, then back off to spare the store.
    poll = Math.min(options.pollMs ?? 200, poll * 2);
  }
}
