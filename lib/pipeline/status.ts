import { z } from 'zod';
import type { Store } from '../ports/store.js';

export const StatusQuery = z.object({
  /** Comma-separated job ids to report on; otherwise the most recent jobs. */
  jobs: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});
export type StatusQuery = z.infer<typeof StatusQuery>;

/** What is going on: recent jobs, uploads, dead letters and loaded backtests, from the store. */
export async function platformStatus(store: Store, q: StatusQuery) {
  const ids = q.jobs?.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids && ids.length > 0) {
    const jobs = (await Promise.all(ids.map((id) => store.getJob(id)))).filter((j) => j !== undefined);
    return { jobs };
  }
  const [jobs, uploads, deadLetters, backtests, barDatasets] = await Promise.all([
    store.listJobs({ limit: q.limit }),
    store.listUploads({ limit: q.limit }),
    store.listDeadLetters({ limit: q.limit }),
    store.listBacktests({ limit: q.limit }),
    store.listBarDatasets({ limit: q.limit }),
  ]);
  return {
    jobs,
    uploads,
    deadLetters,
    backtests: backtests.map(({ id, name, sourceKind, tradeCount, symbols, periodStart, periodEnd, createdAt }) => ({
      id,
      name,
      sourceKind,
      tradeCount,
      symbols,
      periodStart: periodStart === null ? null : new Date(periodStart).toISOString(),
      periodEnd: periodEnd === null ? null : new Date(periodEnd).toISOString(),
      createdAt,
    })),
    barDatasets,
  };
}
