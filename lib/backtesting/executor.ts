import type { HeldBars } from './bar-memory.js';
import { DatasetWorkspace, runChunk, type CandidateRun, type ChunkJob } from './run-chunk.js';

/** Runs the engine on a batch: across a pool of worker threads, or in this thread (tests, tiny hosts). */
export interface BatchExecutor {
  readonly threads: number;
  /** Gets ready for a batch (starts threads) while the caller is still loading the bars. */
  prepare(): void;
  /** Results in the order of `job.candidates`. */
  run(data: HeldBars, job: Omit<ChunkJob, 'dataKey'>, signal?: AbortSignal): Promise<CandidateRun[]>;
  /** Drops a dataset's bars and indicators (BarMemory evicted it). */
  forget(dataKey: string): void;
  close(): Promise<void>;
}

/** The engine in the calling thread, with one indicator cache per dataset. Same results as the pool. */
export class InlineExecutor implements BatchExecutor {
  readonly threads = 1;
  private readonly workspaces = new Map<string, DatasetWorkspace>();

  prepare(): void {}

  async run(data: HeldBars, job: Omit<ChunkJob, 'dataKey'>): Promise<CandidateRun[]> {
    let workspace = this.workspaces.get(data.dataKey);
    if (!workspace) this.workspaces.set(data.dataKey, (workspace = new DatasetWorkspace(data.bars)));
    return runChunk(workspace, { ...job, dataKey: data.dataKey });
  }

  forget(dataKey: string): void {
    this.workspaces.delete(dataKey);
  }

  async close(): Promise<void> {
    this.workspaces.clear();
  }
}
