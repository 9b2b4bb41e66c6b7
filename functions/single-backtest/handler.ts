import { backtestDeps } from '../../lib/backtesting/runtime.js';
import { SingleBacktestInput } from '../../lib/backtesting/input.js';
import { singleBacktestResult } from '../../lib/backtesting/response.js';
import { runSingleBacktest } from '../../lib/backtesting/single-backtest.js';
import { defineFunction } from '../../lib/runtime/handler.js';

/**
 * `single-backtest`: a strategy (spec or library name) with a batch of parameter sets over a stored
 * bar dataset; per-candidate metrics (and trades/curve when asked), cached results, optional storing.
 */
export default defineFunction({
  name: 'single-backtest',
  input: SingleBacktestInput,
  handle: async (req, ctx) => singleBacktestResult(await runSingleBacktest(req.input, backtestDeps(ctx)), req.callId),
});
