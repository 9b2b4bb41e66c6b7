import type { Embedder } from '../../lib/ports/embedder.js';
import type { Llm } from '../../lib/ports/llm.js';
import type { VectorStore } from '../../lib/ports/vector-store.js';
import { QueryInput, runQuery } from '../../lib/query/run-query.js';
import { defineFunction } from '../../lib/runtime/handler.js';
import type { Ports } from '../../lib/runtime/ports.js';

/** The AI ports, present when the runtime provides them (an absent one means "not configured"). */
export type QueryPorts = Ports & { vectors?: VectorStore | null; embedder?: Embedder | null; llm?: Llm | null };

/**
 * `query` (sync): a question about a backtest becomes a validated plan, runs exactly in SQL, gathers
 * evidence chunks and comes back as prose with its facts; or, with mode "insights", the top findings.
 */
export default defineFunction({
  name: 'query',
  input: QueryInput,
  handle: async (req, ctx) => {
    const ports = ctx.ports as QueryPorts;
    return {
      body: await runQuery(
        { store: ports.store, vectors: ports.vectors ?? null, embedder: ports.embedder ?? null, llm: ports.llm ?? null },
        req.input,
        ctx.signal,
      ),
    };
  },
});
