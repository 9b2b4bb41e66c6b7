import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IssueLog } from '../../lib/domain/issues.js';
import { SummaryAccumulator } from '../../lib/domain/ingest/summary.js';
import { tradesToColumns, type TradeColumns } from '../../lib/domain/trade-columns.js';
import { byteSourceFrom, readHistoryCsv } from '../../lib/formats/index.js';
import type { BacktestRecord, Store } from '../../lib/ports/store.js';

/**
 * Loads a cTrader History CSV into a store through the real reader and `store.saveBacktest` (the
 * ingest pipeline's own write), without the bus and blob plumbing. The starting balance is the first
 * closing trade's balance minus its net, as validate infers it.
 */
export async function loadHistoryCsv(store: Store, file: string, id: string): Promise<BacktestRecord> {
  const reader = readHistoryCsv(byteSourceFrom(await readFile(file)), { file: path.basename(file), maxLineBytes: 65_536, issues: new IssueLog() });
  const batches: TradeColumns[] = [];
  for await (const batch of reader.batches()) batches.push(tradesToColumns(batch, path.basename(file)));
  let first: { exit: number; balance: number; net: number } | null = null;
  let start = Infinity;
  let end = -Infinity;
  const symbols = new Set<string>();
  let count = 0;
  for (const b of batches) {
    for (let i = 0; i < b.length; i++) {
      count++;
      symbols.add(b.symbol[i]!);
      const t = Number.isFinite(b.entryTime[i]!) ? b.entryTime[i]! : b.exitTime[i]!;
      start = Math.min(start, t);
      end = Math.max(end, b.exitTime[i]!);
      if (!first || b.exitTime[i]! < first.exit) first = { exit: b.exitTime[i]!, balance: b.balanceAfter[i]!, net: b.net[i]! };
    }
  }
  const startingBalance = first && Number.isFinite(first.balance) ? Math.round((first.balance - first.net) * 100) / 100 : null;
  // The summary validate would write, including the whole-backtest drawdown and streaks queries reuse.
  const accumulator = new SummaryAccumulator();
  for (const b of batches) accumulator.add(b, new Uint8Array(b.length).fill(1));
  const summary = accumulator.finish({ startingBalance, accountCurrency: reader.context.accountCurrency ?? null, depositDigits: 2 });
  const record: BacktestRecord = {
    id,
    name: path.basename(file),
    sourceKind: 'ctrader-history-csv',
    accountCurrency: reader.context.accountCurrency ?? null,
    startingBalance,
    periodStart: count ? start : null,
    periodEnd: count ? end : null,
    symbols: [...symbols].sort(),
    timeframe: null,
    parameters: {},
    costModel: null,
    summary,
    rollups: accumulator.rollups(),
    issues: {},
    context: {},
    tradeCount: count,
  };
  async function* all() {
    yield* batches;
  }
  await store.saveBacktest(id, [], all(), () => record);
  return record;
}
