import { QueryInput, runQuery } from '../../lib/query/run-query.js';
import { defineFunction } from '../../lib/runtime/handler.js';

/**
 * `query` (sync): a question about a backtest becomes a validated plan, runs exactly in SQL, gathers
 * evidence chunks and comes back as prose with its facts; or, with mode "insights", the top findings.
 */
export default defineFunction({
  name: 'query',
  input: QueryInput,
  handle: async (req, ctx) => ({ body: await runQuery(ctx.ports, req.input, ctx.signal) }),
});
