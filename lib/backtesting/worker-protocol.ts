import type { ErrorCode, ErrorDetails } from '../runtime/errors.js';
import type { CandidateRun, ChunkJob } from './run-chunk.js';
import type { SharedBars } from './shared-bars.js';

/** Main thread to worker. `bars` travels with the first chunk of a dataset a worker sees, shared, not copied. */
export type ToWorker = { type: 'run'; taskId: number; job: ChunkJob; bars?: SharedBars } | { type: 'forget'; dataKey: string };

/** Worker to main thread. */
export type FromWorker =
  | { type: 'done'; taskId: number; runs: CandidateRun[] }
  | { type: 'failed'; taskId: number; error: { code: ErrorCode; message: string; details?: ErrorDetails; stack?: string } };

/** Buffers a result can hand over instead of copying: the trade and curve columns made for it (never the shared bars). */
export function transferablesOf(runs: CandidateRun[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (value: unknown) => {
    if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
  };
  for (const run of runs) {
    if (!run.ok) continue;
    if (run.trades) for (const column of Object.values(run.trades)) add(column);
    if (run.curve) {
      add(run.curve.balance);
      add(run.curve.equity);
    }
  }
  return [...buffers];
}
