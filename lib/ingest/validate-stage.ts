import type { IngestUnit } from '../domain/ingest/plan.js';
import { SummaryAccumulator } from '../domain/ingest/summary.js';
import { IssueLog } from '../domain/issues.js';
import { selectRows, type TradeColumns } from '../domain/trade-columns.js';
import { reconcileReport } from '../domain/validation/reconcile-report.js';
import { TradeIntegrity } from '../domain/validation/trade-integrity.js';
import { decodeBarFrames } from '../formats/staged/bar-frames.js';
import { decodeTradeFrames } from '../formats/staged/trade-frames.js';
import type { BarColumns } from '../formats/types.js';
import type { Blobs } from '../ports/blobs.js';
import type { BacktestRecord, BacktestSource, Store } from '../ports/store.js';
import { AppError } from '../runtime/errors.js';
import type { ParseOutcome } from './parse-outcome.js';
import { existingResult } from './existing-result.js';
import type { UnitResult } from './unit-result.js';

/** Checks what parse staged and loads it, all or nothing. Re-running it for a loaded unit changes nothing. */
export async function validateUnit(
  ports: { blobs: Blobs; store: Store },
  outcome: ParseOutcome,
  onRows?: (rows: number, total: number) => void,
): Promise<UnitResult> {
  const { unit } = outcome;
  const existing = await existingResult(ports.store, unit);
  if (existing) return existing;
  if (unit.kind === 'parameters') return saveParameters(ports.store, outcome, unit);
  if (unit.kind === 'bars') return saveBars(ports, outcome, unit);
  return saveTrades(ports, outcome, unit, onRows);
}

/**
 * One pass: each batch is checked, summarised and its accepted rows streamed into the load; the
 * record (summary, warnings) is written last in the same transaction. Every reject rule is decided
 * row by row, so under `onRejects: fail` the first reject aborts the load and nothing is kept.
 */
async function saveTrades(
  { blobs, store }: { blobs: Blobs; store: Store },
  outcome: ParseOutcome,
  unit: Extract<IngestUnit, { kind: 'backtest' }>,
  onRows?: (rows: number, total: number) => void,
): Promise<UnitResult> {
  const trades = outcome.trades!;
  const staged = outcome.staged!;
  const file = unit.trades.path;
  const issues = IssueLog.from(outcome.issues);
  const failOnReject = outcome.options.onRejects === 'fail';
  if (failOnReject && issues.rejects > 0) throw rejectedRows(file, issues);
  const integrity = new TradeIntegrity(file, issues, trades.depositDigits);
  const accumulator = new SummaryAccumulator();
  async function* accepted(): AsyncGenerator<TradeColumns> {
    for await (const batch of decodeTradeFrames(blobs.get(staged.sha256), file)) {
      const keep = integrity.check(batch);
      if (failOnReject && issues.rejects > 0) throw rejectedRows(file, issues);
      accumulator.add(batch, keep);
      yield selectRows(batch, keep);
    }
  }
  let result: UnitResult | undefined;
  const describe = (written: number): BacktestRecord => {
    const checked = integrity.finish();
    const summary = accumulator.finish({
      startingBalance: trades.context.startingBalance ?? checked.impliedStartingBalance,
      accountCurrency: trades.context.accountCurrency ?? null,
      depositDigits: trades.depositDigits,
    });
    if (trades.context.declaredTotals) issues.addAll(reconcileReport(file, trades.context.declaredTotals, summary, trades.depositDigits));
    if (written === 0) {
      throw new AppError('unprocessable', `${file} holds no trade that could be loaded`, {
        file,
        expected: 'at least one closed trade',
        issues: issues.toJSON().issues.slice(0, 20),
      });
    }
    const report = issues.toJSON();
    result = { kind: 'backtest', backtestId: unit.id, name: unit.name, existing: false, summary, issues: report };
    return {
      id: unit.id,
      name: unit.name,
      sourceKind: unit.trades.format,
      accountCurrency: summary.accountCurrency,
      startingBalance: summary.startingBalance,
      periodStart: summary.period ? Date.parse(summary.period.start) : null,
      periodEnd: summary.period ? Date.parse(summary.period.end) : null,
      symbols: summary.symbols.map((x) => x.symbol),
      timeframe: trades.context.timeframe ?? trades.parameters?.timeframe ?? null,
      parameters: (trades.parameters?.parameters ?? trades.context.parameters ?? {}) as Record<string, unknown>,
      costModel: null,
      summary,
      issues: report,
      context: { ...trades.context, balanceOrder: checked.balanceOrder },
      tradeCount: written,
      rollups: accumulator.rollups(),
    };
  };
  const saved = await store.saveBacktest(unit.id, sourcesOf(unit), accepted(), describe, (rows) => onRows?.(rows, staged.rows));
  await blobs.delete(staged.sha256);
  // Loaded meanwhile by an identical upload: report that one.
  if (!saved || !result) return (await existingResult(store, unit))!;
  return result;
}

function rejectedRows(file: string, issues: IssueLog): AppError {
  const first = issues.kept.find((i) => i.severity === 'reject')!;
  return new AppError(
    'rejected_rows',
    `${issues.rejects} row(s) of ${file} were rejected, so nothing was loaded; fix them, or ingest again with onRejects=skip to load the rest`,
    {
      file: first.file ?? file,
      ...(first.line !== undefined ? { line: first.line } : {}),
      ...(first.field !== undefined ? { field: first.field } : {}),
      ...(first.expected !== undefined ? { expected: first.expected } : {}),
      ...(first.found !== undefined ? { found: first.found } : {}),
      rejects: issues.rejects,
      issues: issues.kept.filter((i) => i.severity === 'reject').slice(0, 50),
    },
  );
}

function sourcesOf(unit: Extract<IngestUnit, { kind: 'backtest' }>): BacktestSource[] {
  const sources = new Map<string, BacktestSource>();
  const add = (f: { sha256: string; path: string }, role: BacktestSource['role']) => {
    if (!sources.has(f.sha256)) sources.set(f.sha256, { sha256: f.sha256, role, name: f.path });
  };
  add(unit.trades, 'trades');
  if (unit.stops) add(unit.stops, 'stops');
  if (unit.parameters) add(unit.parameters, 'parameters');
  for (const s of unit.siblings) add(s, s.format === 'text-log' ? 'log' : 'report');
  return [...sources.values()];
}

async function saveBars(
  { blobs, store }: { blobs: Blobs; store: Store },
  outcome: ParseOutcome,
  unit: Extract<IngestUnit, { kind: 'bars' }>,
): Promise<UnitResult> {
  const bars = outcome.bars!;
  const staged = outcome.staged!;
  const result = (count: number, first: number | null, last: number | null): UnitResult => ({
    kind: 'bars',
    datasetId: unit.id,
    name: unit.name,
    existing: false,
    bars: count,
    first: first === null ? null : new Date(first).toISOString(),
    last: last === null ? null : new Date(last).toISOString(),
    symbol: bars.symbol ?? null,
    timeframe: bars.timeframe ?? null,
    layout: bars.layout,
    issues: outcome.issues,
  });
  if (outcome.issues.rejects > 0 && outcome.options.onRejects === 'fail') throw rejectedRows(unit.file.path, IssueLog.from(outcome.issues));
  if (staged.rows === 0) throw new AppError('unprocessable', `${unit.file.path} holds no bar that could be loaded`, { file: unit.file.path });
  let previous = -Infinity;
  let index = 0;
  async function* checked(): AsyncGenerator<BarColumns> {
    for await (const batch of decodeBarFrames(blobs.get(staged.sha256), unit.file.path)) {
      for (let i = 0; i < batch.length; i++, index++) {
        const t = batch.time[i]!;
        if (!(t > previous)) {
          throw new AppError('invalid_value', `bar ${index + 1} of ${unit.file.path} at ${new Date(t).toISOString()} is ${t === previous ? 'a duplicate of' : 'before'} the bar before it`, {
            file: unit.file.path,
            row: index + 1,
            field: 'time',
            expected: `a time after ${new Date(previous).toISOString()} (bars in strictly increasing time order)`,
            found: new Date(t).toISOString(),
          });
        }
        previous = t;
      }
      yield batch;
    }
  }
  await store.saveBarDataset(
    {
      id: unit.id,
      sha256: unit.file.sha256,
      name: unit.name,
      symbol: bars.symbol ?? null,
      timeframe: bars.timeframe ?? null,
      layout: bars.layout,
      barCount: staged.rows,
      firstTime: bars.first,
      lastTime: bars.last,
    },
    checked(),
  );
  await blobs.delete(staged.sha256);
  return result(staged.rows, bars.first, bars.last);
}

async function saveParameters(store: Store, outcome: ParseOutcome, unit: Extract<IngestUnit, { kind: 'parameters' }>): Promise<UnitResult> {
  const p = outcome.parameters!;
  const set = p.kind === 'cbotset' ? p.set : null;
  await store.saveParameterSet({
    id: unit.id,
    sha256: unit.file.sha256,
    kind: p.kind,
    name: unit.name,
    symbol: set?.symbol ?? null,
    timeframe: set?.timeframe ?? null,
    parameters: p.kind === 'cbotset' ? p.set.parameters : p.params,
  });
  return {
    kind: 'parameters',
    parameterSetId: unit.id,
    name: unit.name,
    existing: false,
    parameterKind: p.kind,
    parameters: p.kind === 'cbotset' ? p.set.parameters : p.params,
  };
}
