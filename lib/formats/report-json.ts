import type { SourcedTrade } from '../domain/trade.js';
import { parseAnyDateTime } from './ctrader-datetime.js';
import { parseDirection } from './direction.js';
import { isLotUnit, parseCtraderNumber, parseQuantity } from './ctrader-number.js';
import { JsonValueStream, type JsonStreamOptions, type JsonValue } from './json-stream.js';
import { utf8Chunks } from './text-input.js';
import type { ByteSource, DeclaredTotals, FormatId, ReadOptions, SourceContext, TradeFileReader } from './types.js';

/**
 * cTrader's backtest report (`--report-json`, and the same JSON inside report.html). Small sections
 * (main, tradeStatistics, parameters, ...) are read whole; `history.items` and `equity.points` are
 * streamed, since a long backtest holds millions of them. The context is complete only at the end,
 * because nothing guarantees `main` comes before `history`.
 */

const STREAMED_PARENTS = ['$.history.items', '$.equity.points'];
const DEFAULT_BATCH = 10_000;

/** Item keys mapped onto the trade; any other key of an item is kept in metadata under its own name. */
const ITEM_KEYS = new Set([
  'id',
  'label',
  'entryTime',
  'closeTime',
  'symbol',
  'quantity',
  'volume',
  'direction',
  'entryPrice',
  'closePrice',
  'commissions',
  'swaps',
  'net',
  'pips',
  'gross',
  'balance',
]);

const TOTALS_FROM_STATISTICS: (keyof DeclaredTotals)[] = [
  'netProfit',
  'grossProfit',
  'grossLoss',
  'commissions',
  'swaps',
  'totalTrades',
  'winningTrades',
  'losingTrades',
  'largestWinningTrade',
  'largestLosingTrade',
];

type Json = Record<string, unknown>;

export function readReportJson(source: ByteSource, opts: ReadOptions): TradeFileReader {
  const context: SourceContext = { format: 'ctrader-report-json' };
  return {
    context,
    batches: () => reportBatches(utf8Chunks(source, { file: opts.file }), opts, context, {}),
  };
}

/** Shared with report.html, which hands in the JSON it found inside its script element. */
export async function* reportBatches(
  json: AsyncIterable<Uint8Array>,
  opts: ReadOptions,
  context: SourceContext,
  streamOptions: Pick<JsonStreamOptions, 'origin'>,
): AsyncGenerator<SourcedTrade[]> {
  const stream = new JsonValueStream(json, {
    file: opts.file,
    paths: ['$.*', '$.history.items.*', '$.equity.points.*'],
    streamedParents: STREAMED_PARENTS,
    ...streamOptions,
  });
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const sections: Json = {};
  let equityPoints = 0;
  let out: SourcedTrade[] = [];

  for await (const values of stream.values()) {
    for (const v of values) {
      if (v.parentPath === '$.history.items') {
        const trade = toTrade(v, sections, opts, v.line);
        if (trade) out.push(trade);
        if (out.length >= batchSize) {
          yield out;
          out = [];
        }
      } else if (v.parentPath === '$.equity.points') {
        equityPoints++;
      } else if (v.parentPath === '$' && typeof v.key === 'string') {
        sections[v.key] = v.value;
      } else if (v.parentPath === '' || typeof v.key === 'number') {
        opts.issues.add({
          severity: 'reject',
          code: 'invalid_value',
          message: `${opts.file}: the report is not a JSON object with main, history and tradeStatistics`,
          file: opts.file,
          line: v.line,
          expected: 'a cTrader report object',
          found: Array.isArray(v.value) ? 'an array' : typeof v.value,
        });
      }
    }
  }
  fillContext(context, sections, equityPoints);
  if (out.length) yield out;
}

function toTrade(v: JsonValue, sections: Json, opts: ReadOptions, line: number): SourcedTrade | undefined {
  const row = Number(v.key) + 1;
  const item = v.value;
  const where = `history.items[${row - 1}]`;
  const reject = (key: string, expected: string, found: unknown): undefined => {
    opts.issues.add({
      severity: 'reject',
      code: 'invalid_value',
      message: `${opts.file} line ${line} (${where}): ${key} is not ${expected}`,
      file: opts.file,
      line,
      row,
      field: key ? `${where}.${key}` : where,
      expected,
      found: short(found),
      tradeId: isRecord(item) && item.id !== undefined ? String(item.id) : undefined,
    });
    return undefined;
  };
  if (!isRecord(item)) return reject('', 'a history item object', item);

  const exitTime = toTime(item.closeTime);
  if (exitTime === undefined) return reject('closeTime', 'milliseconds since 1970', item.closeTime);
  const direction = typeof item.direction === 'string' ? parseDirection(item.direction) : undefined;
  if (!direction) return reject('direction', 'buy or sell', item.direction);
  const net = toNumber(item.net);
  if (net === null || net === undefined) return reject('net', 'a number', item.net);
  const main = isRecord(sections.main) ? sections.main : undefined;
  const symbol = stringOr(item.symbol) ?? stringOr(main?.symbol) ?? opts.symbol;
  if (!symbol) return reject('symbol', 'a symbol name (none in the item, main.symbol or --symbol)', item.symbol);

  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!ITEM_KEYS.has(key)) metadata[key] = value;
  const optional = (key: string): number | null => {
    const value = toNumber(item[key]);
    if (value !== undefined) return value;
    metadata[key] = item[key];
    opts.issues.add({
      severity: 'warning',
      code: 'invalid_value',
      message: `${opts.file} line ${line} (${where}): ${key} is not a number; kept in metadata`,
      file: opts.file,
      line,
      row,
      field: `${where}.${key}`,
      expected: 'a number',
      found: short(item[key]),
    });
    return null;
  };
  const sizes = sizesOf(item, metadata);
  const entryTime = item.entryTime === undefined || item.entryTime === null ? null : (toTime(item.entryTime) ?? null);
  if (entryTime === null && item.entryTime != null) metadata.entryTime = item.entryTime;

  return {
    sourceId: item.id === undefined || item.id === null || item.id === '' ? String(row) : String(item.id),
    symbol,
    direction,
    quantity: sizes.quantity,
    volume: sizes.volume,
    entryTime,
    exitTime,
    entryPrice: optional('entryPrice'),
    exitPrice: optional('closePrice'),
    gross: optional('gross'),
    commission: optional('commissions'),
    swap: optional('swaps'),
    net,
    pips: optional('pips'),
    balanceAfter: optional('balance'),
    label: stringOr(item.label) ?? null,
    closeReason: 'unknown',
    stops: null,
    metadata,
    file: opts.file,
    line: row,
  };
}

function sizesOf(item: Json, metadata: Json): { quantity: number | null; volume: number | null } {
  const sizes = { quantity: null as number | null, volume: null as number | null };
  for (const key of ['quantity', 'volume'] as const) {
    const raw = item[key];
    if (raw === undefined || raw === null) continue;
    const parsed = typeof raw === 'number' ? { value: raw, unit: null } : typeof raw === 'string' ? parseQuantity(raw) : undefined;
    const target = !parsed || parsed.unit === null ? key : isLotUnit(parsed.unit) ? 'quantity' : 'volume';
    if (parsed?.value && parsed.value > 0 && sizes[target] === null) sizes[target] = parsed.value;
    else metadata[key] = raw;
  }
  return sizes;
}

function fillContext(context: SourceContext, sections: Json, equityPoints: number): void {
  const { main, equity, tradeStatistics, parameters, history, ...rest } = sections;
  const extra: Record<string, unknown> = { ...rest };
  if (isRecord(main)) {
    extra.main = main;
    const currency = stringOr(main.depositAsset);
    if (currency) context.accountCurrency = currency;
    const digits = toNumber(main.depositAssetDigits);
    if (typeof digits === 'number') context.depositDigits = digits;
    const starting = toNumber(main.startingCapital);
    if (typeof starting === 'number') context.startingBalance = starting;
    const symbol = stringOr(main.symbol);
    if (symbol) context.symbol = symbol;
    const period = stringOr(main.period);
    if (period) context.timeframe = period;
    const bot = stringOr(main.cBotName);
    if (bot) context.botName = bot;
    const testing = isRecord(main.testingPeriod) ? main.testingPeriod : undefined;
    const start = toTime(testing?.startDate);
    const end = toTime(testing?.endDate);
    if (start !== undefined && end !== undefined) context.period = { start, end };
  }
  if (Array.isArray(parameters)) context.parameters = parameterValues(parameters);
  else if (isRecord(parameters)) context.parameters = parameters;

  const totals: DeclaredTotals = {};
  const all = isRecord(tradeStatistics) ? statisticsForAllTrades(tradeStatistics) : {};
  for (const key of TOTALS_FROM_STATISTICS) {
    const value = toNumber(all[key]);
    if (typeof value === 'number') totals[key] = value;
  }
  if (isRecord(equity)) {
    const abs = toNumber(equity.maxBalanceDrawdownAbsolute);
    const pct = toNumber(equity.maxBalanceDrawdownPercent);
    if (typeof abs === 'number') totals.maxBalanceDrawdownAbsolute = abs;
    if (typeof pct === 'number') totals.maxBalanceDrawdownPercent = pct;
    const { points: _points, ...equityRest } = equity;
    extra.equity = { ...equityRest, pointCount: equityPoints };
  }
  const ending = isRecord(main) ? toNumber(main.endingBalance) : undefined;
  if (typeof ending === 'number') totals.endingBalance = ending;
  if (Object.keys(totals).length) context.declaredTotals = totals;
  if (tradeStatistics !== undefined) extra.tradeStatistics = tradeStatistics;
  if (isRecord(history)) {
    const { items: _items, ...historyRest } = history;
    if (Array.isArray(historyRest.columns)) context.columns = historyRest.columns.map(String);
    if (Object.keys(historyRest).length) extra.history = historyRest;
  }
  context.extra = extra;
}

/** cTrader writes `{netProfit: {all, long, short}, ...}`; some tools write `{all: {netProfit, ...}, ...}`. */
function statisticsForAllTrades(stats: Json): Json {
  if (isRecord(stats.all)) return stats.all;
  const all: Json = {};
  for (const [key, value] of Object.entries(stats)) if (isRecord(value) && 'all' in value) all[key] = value.all;
  return all;
}

function parameterValues(parameters: unknown[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  parameters.forEach((p, i) => {
    if (!isRecord(p)) return;
    const name = stringOr(p.propertyName) ?? stringOr(p.displayName) ?? stringOr(p.name) ?? `parameter ${i + 1}`;
    values[name] = p.value;
  });
  return values;
}

function toTime(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Math.round(value);
  if (typeof value === 'string' && value.trim()) {
    if (/^\d{10,}$/.test(value.trim())) return Number(value.trim());
    return parseAnyDateTime(value, 0);
  }
  return undefined;
}

/** A number, null when absent, undefined when present but not a number. */
function toNumber(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return parseCtraderNumber(value);
  return undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function short(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export type ReportFormat = Extract<FormatId, 'ctrader-report-json' | 'ctrader-report-html'>;
