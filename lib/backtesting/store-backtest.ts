import { SummaryAccumulator } from '../domain/ingest/summary.js';
import { NO_ISSUES } from '../domain/issues.js';
import type { StrategySpec } from '../domain/strategy/index.js';
import type { TradeColumns } from '../domain/trade-columns.js';
import type { BacktestRecord, BarDatasetRecord, Store } from '../ports/store.js';
import type { JsonMetrics } from './candidate-output.js';


export interface EngineRun {
  id: string;
  dataset: BarDatasetRecord;
  spec: StrategySpec;
  params: Record<string, unknown>;
  run: { symbol: string; startingBalance: number; closeAtEnd: boolean };
  trades: TradeColumns;
  metrics: JsonMetrics;
  openPositions: unknown[];
  account: unknown;
}

/** Money decimals of the engine's deposit currency (the engine does no currency conversion). */
const DEPOSIT_DIGITS = 2;

/**
 * Saves an engine run as a backtest beside the ingested ones: same trade rows, and a summary from the
 * same SummaryAccumulator, so questions and analytics treat both alike. sourceKind is "engine"; the
 * spec's costs, fills and instrument are the cost model; the spec, the bar dataset and the engine's
 * metrics go in `context`. The id derives from the run, so a repeat writes nothing ("existing").
 */
export async function storeEngineBacktest(store: Store, r: EngineRun): Promise<'created' | 'existing'> {
  if (await store.getBacktest(r.id)) return 'existing';
  const accumulator = new SummaryAccumulator();
  accumulator.add(r.trades, new Uint8Array(r.trades.length).fill(1));
  async function* batches(): AsyncGenerator<TradeColumns> {
    yield r.trades;
  }
  const describe = (written: number): BacktestRecord => {
    const summary = accumulator.finish({ startingBalance: r.run.startingBalance, accountCurrency: null, depositDigits: DEPOSIT_DIGITS });
    return {
      id: r.id,
      name: nameOf(r),
      sourceKind: 'engine',
      accountCurrency: null,
      startingBalance: r.run.startingBalance,
      // The run covers the bars, not only the span of its trades.
      periodStart: r.dataset.firstTime ?? (summary.period ? Date.parse(summary.period.start) : null),
      periodEnd: r.dataset.lastTime ?? (summary.period ? Date.parse(summary.period.end) : null),
      symbols: [r.run.symbol],
      timeframe: r.dataset.timeframe,
      parameters: r.params,
      costModel: { costs: r.spec.costs, fills: r.spec.fills, instrument: r.spec.instrument },
      summary,
      rollups: accumulator.rollups(),
      issues: NO_ISSUES,
      context: {
        strategy: r.spec.name,
        spec: r.spec,
        bars: { datasetId: r.dataset.id, sha256: r.dataset.sha256, name: r.dataset.name, count: r.dataset.barCount },
        closeAtEnd: r.run.closeAtEnd,
        metrics: r.metrics,
        account: r.account,
        openPositions: r.openPositions,
      },
      tradeCount: written,
    };
  };
  // No backtest_sources row: its roles name trade-bearing files; the bar upload is in context.bars.
  return (await store.saveBacktest(r.id, [], batches(), describe)) ? 'created' : 'existing';
}

function nameOf(r: EngineRun): string {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const name = `${r.spec.name} (${params}) on ${r.dataset.name}`;
  return name.length <= 200 ? name : `${name.slice(0, 199)}…`;
}
