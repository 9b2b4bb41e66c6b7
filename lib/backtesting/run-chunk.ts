import { IndicatorCache, runBatch, type CandidateResult } from '../domain/backtest/index.js';
import type { StrategySpec } from '../domain/strategy/index.js';
import type { BarColumns } from '../formats/types.js';

/** Indicator memory per dataset per thread; past it the least recently used indicators are recomputed. */
export const INDICATOR_BYTES_PER_DATASET = 256 * 1024 * 1024;

/** One slice of a batch, as sent to a worker: everything but the bars, which the worker already holds. */
export interface ChunkJob {
  dataKey: string;
  spec: StrategySpec;
  /** Positions in the request, and the parameter values to run. */
  candidates: { index: number; params: Record<string, unknown> }[];
  symbol: string;
  startingBalance: number;
  closeAtEnd: boolean;
  /** Return canonical trades (to answer with them or to store them) and/or the curve. */
  keep: { trades: boolean; curve: boolean };
}

/** A candidate's engine result, tagged with its position in the request. */
export type CandidateRun = CandidateResult;

/** The bars of one dataset in a thread, and the indicators computed on them so far. */
export class DatasetWorkspace {
  readonly cache: IndicatorCache;
  constructor(
    readonly bars: BarColumns,
    indicatorBytes = INDICATOR_BYTES_PER_DATASET,
  ) {
    this.cache = new IndicatorCache({ maxBytes: indicatorBytes });
  }
}

/**
 * Runs a chunk on bars already validated (BarMemory checks them once on load): a bad candidate is an
 * `ok: false` result, never a thrown error. The workspace's indicator cache carries over between
 * chunks and calls, so a warm thread computes each indicator of a dataset once.
 */
export function runChunk(workspace: DatasetWorkspace, job: ChunkJob): CandidateRun[] {
  const batch = runBatch(
    workspace.bars,
    job.spec,
    job.candidates.map((c) => c.params),
    {
      symbol: job.symbol,
      startingBalance: job.startingBalance,
      closeAtEnd: job.closeAtEnd,
      dataKey: job.dataKey,
      cache: workspace.cache,
      include: job.keep,
      validateBars: false,
    },
  );
  return batch.candidates.map((c, i) => ({ ...c, index: job.candidates[i]!.index }));
}
