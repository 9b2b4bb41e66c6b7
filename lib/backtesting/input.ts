import { z } from 'zod';

/** Most candidates one call takes; an optimiser sends generations in batches well below this. */
export const MAX_CANDIDATES = 10_000;

const ParameterValue = z.union([z.number(), z.boolean(), z.string()]);

export const BacktestOptions = z.strictObject({
  /** Symbol written on the trades; the dataset's own symbol by default. */
  symbol: z.string().trim().min(1).max(64).optional(),
  startingBalance: z.number().positive().max(1e15).default(10_000),
  /** Close positions still open after the last bar at its close (end_of_data). */
  closeAtEnd: z.boolean().default(false),
  /** Also return each candidate's trades and/or balance/equity curve. */
  include: z.strictObject({ trades: z.boolean().default(false), curve: z.boolean().default(false) }).prefault({}),
  /** Save each successful candidate as a backtest (sourceKind "engine"), once per identical run. */
  store: z.boolean().default(false),
  /** Read and write the result cache (default true); false always recomputes. */
  cache: z.boolean().default(true),
});
export type BacktestOptions = z.output<typeof BacktestOptions>;

/**
 * The `single-backtest` request: one strategy (an inline spec or a library name) run with a batch of
 * parameter sets over one stored bar dataset.
 */
export const SingleBacktestInput = z
  .strictObject({
    /** A bar dataset id from ingest (`bars_...`). */
    datasetId: z.string().trim().min(1).max(200),
    /** A strategy spec document (docs/backtest.md). */
    spec: z.record(z.string(), z.unknown()).optional(),
    /** A library strategy name (`sma-cross`, ...). */
    strategy: z.string().trim().min(1).max(100).optional(),
    /** Parameter sets, one per candidate; a parameter left out takes its default. */
    params: z.array(z.record(z.string(), ParameterValue)).min(1).max(MAX_CANDIDATES).default([{}]),
    options: BacktestOptions.prefault({}),
  })
  .refine((v) => (v.spec === undefined) !== (v.strategy === undefined), {
    message: 'give exactly one of spec (a strategy document) or strategy (a library name)',
    path: ['strategy'],
  });
export type SingleBacktestInput = z.output<typeof SingleBacktestInput>;
export type SingleBacktestRequest = z.input<typeof SingleBacktestInput>;
