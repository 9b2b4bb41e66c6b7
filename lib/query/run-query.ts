import { z } from 'zod';
import type { Store } from '../ports/store.js';
import { AppError } from '../runtime/errors.js';
import { answerQuestion, type Answer, type AnswerPorts } from './answer.js';
import type { BacktestInfo } from './execute.js';
import type { IngestSummary } from '../domain/ingest/summary.js';
import { computeInsights, type Insights } from './insights/index.js';

/** The `query` function's input: a question about a backtest (default: the most recent), or its insights. */
export const QueryInput = z
  .object({
    question: z.string().trim().min(1).max(1_000).optional(),
    backtestId: z.string().trim().min(1).max(200).optional(),
    mode: z.enum(['answer', 'insights']).default('answer'),
    /** Evidence chunks (and neighbours for "trades like #id") to return. */
    k: z.coerce.number().int().min(1).max(20).default(5),
  })
  .strict();
export type QueryInput = z.infer<typeof QueryInput>;

export type QueryResult = ({ mode: 'answer' } & Answer) | ({ mode: 'insights' } & Insights);

/** The named backtest, or the most recently loaded one. */
export async function resolveBacktest(store: Store, id: string | undefined): Promise<BacktestInfo> {
  const record = id ? await store.getBacktest(id) : (await store.listBacktests({ limit: 1 }))[0];
  if (!record) {
    throw id
      ? new AppError('not_found', `no backtest with id ${id}`, { field: 'backtestId' })
      : new AppError('not_found', 'no backtest is loaded yet: ingest a cTrader export first (trading-ai ingest <file>)');
  }
  return {
    id: record.id,
    name: record.name,
    accountCurrency: record.accountCurrency,
    startingBalance: record.startingBalance === null ? null : String(record.startingBalance),
    symbols: record.symbols,
    periodStart: record.periodStart,
    periodEnd: record.periodEnd,
    tradeCount: record.tradeCount,
    summary: (record.summary as IngestSummary | null) ?? null,
    hasRollups: (await store.query('select 1 from trade_rollups where backtest_id = $1 limit 1', [record.id])).length > 0,
  };
}

export async function runQuery(ports: AnswerPorts, input: QueryInput, signal?: AbortSignal): Promise<QueryResult> {
  const bt = await resolveBacktest(ports.store, input.backtestId);
  if (input.mode === 'insights') return { mode: 'insights', ...(await computeInsights(ports.store, bt)) };
  if (!input.question) throw new AppError('invalid_input', 'a question is required (or mode "insights")', { field: 'question' });
  return { mode: 'answer', ...(await answerQuestion(ports, bt, input.question, { k: input.k, ...(signal ? { signal } : {}) })) };
}
