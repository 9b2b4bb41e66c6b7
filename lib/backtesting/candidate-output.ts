import type { AccountState, OpenPosition, OrderCounts } from '../domain/backtest/index.js';
import { metricsJsonReplacer } from '../domain/metrics/index.js';
import type { ErrorCode, ErrorDetails } from '../runtime/errors.js';
import type { CandidateRun } from './run-chunk.js';
import { tradeRows, type TradeRow } from './trade-rows.js';

/** Metrics as JSON: Infinity and -Infinity written as the strings "Infinity" / "-Infinity" (docs/metrics.md). */
export type JsonMetrics = Record<string, unknown>;

/** One candidate's answer. Everything in it is plain JSON, so it can be cached and sent as is. */
export type CandidateOutput =
  | {
      index: number;
      ok: true;
      /** The parameter values the run used, defaults filled in. */
      params: Record<string, unknown>;
      /** True when the result came from the cache instead of the engine. */
      cached: boolean;
      metrics: JsonMetrics;
      account: AccountState;
      openPositions: OpenPosition[];
      orders: OrderCounts;
      stoppedOut: boolean;
      trades?: TradeRow[];
      curve?: { time: number[]; balance: number[]; equity: number[] };
      /** With options.store: the engine backtest's id, and whether this call created it. */
      backtestId?: string;
      stored?: 'created' | 'existing';
    }
  | {
      index: number;
      ok: false;
      /** The parameter values as given. */
      params: Record<string, unknown>;
      error: { code: ErrorCode; message: string; details?: ErrorDetails };
    };

export type SuccessfulOutput = Extract<CandidateOutput, { ok: true }>;

/** The JSON answer for an engine result (trades and curve only when asked for). */
export function candidateOutput(run: CandidateRun, include: { trades: boolean; curve: boolean }): CandidateOutput {
  if (!run.ok) return { index: run.index, ok: false, params: run.parameters, error: run.error };
  const out: SuccessfulOutput = {
    index: run.index,
    ok: true,
    params: run.parameters,
    cached: false,
    metrics: jsonSafe(run.metrics) as JsonMetrics,
    account: jsonSafe(run.account) as AccountState,
    openPositions: jsonSafe(run.openPositions) as OpenPosition[],
    orders: run.orders,
    stoppedOut: run.stoppedOut,
  };
  if (include.trades && run.trades) out.trades = tradeRows(run.trades);
  if (include.curve && run.curve) {
    out.curve = { time: Array.from(run.curve.time), balance: Array.from(run.curve.balance), equity: Array.from(run.curve.equity) };
  }
  return out;
}

function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, metricsJsonReplacer));
}
