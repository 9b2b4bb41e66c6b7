/**
 * The single-backtest application layer: a stored bar dataset, a strategy and a batch of parameter
 * sets in; per-candidate metrics out, from the result cache or from a pool of worker threads that keep
 * bars and indicators warm. The engine itself is lib/domain/backtest. docs/backtest.md "Running backtests".
 */
export { BarMemory, DEFAULT_BAR_MEMORY_BYTES, type BarMemoryStats, type HeldBars } from './bar-memory.js';
export { ENGINE_RESULTS_VERSION, engineBacktestId, resultCacheKey, specIdentity, type RunIdentity } from './cache-key.js';
export { canonicalJson, sha256Hex } from './canonical-json.js';
export { candidateOutput, type CandidateOutput, type SuccessfulOutput } from './candidate-output.js';
export { InlineExecutor, type BatchExecutor } from './executor.js';
export { BacktestOptions, MAX_CANDIDATES, SingleBacktestInput, type SingleBacktestRequest } from './input.js';
export { describeLibrary, type LibraryParameter, type LibraryStrategy } from './library-listing.js';
export { singleBacktestResult } from './response.js';
export { DatasetWorkspace, runChunk, type CandidateRun, type ChunkJob } from './run-chunk.js';
export { backtestDeps, backtestRuntime, releaseBacktestRuntime } from './runtime.js';
export { barViews, shareBars, type SharedBars } from './shared-bars.js';
export { MAX_CACHED_RESULT_CHARS, runSingleBacktest, type SingleBacktestDeps, type SingleBacktestResponse } from './single-backtest.js';
export { storeEngineBacktest } from './store-backtest.js';
export { resolveStrategy } from './strategy-source.js';
export { TRADE_CSV_COLUMNS, tradeCsvRecords, tradeRows, type TradeRow } from './trade-rows.js';
export { WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
