import type { SourcedTrade } from '../domain/trade.js';
import { AppError, printable } from '../runtime/errors.js';
import { describeColumn, type ColumnName } from './column-names.js';
import { CTRADER_DATETIME_EXPECTED, parseCtraderDateTime } from './ctrader-datetime.js';
import { isLotUnit, NUMBER_EXPECTED, parseCtraderNumber, parseQuantity, QUANTITY_EXPECTED } from './ctrader-number.js';
import { csvRowBatches, rowLine } from './csv-rows.js';
import { parseDirection } from './direction.js';
import { textChunks } from './text-input.js';
import type { ByteSource, FormatId, ReadOptions, SourceContext, TradeFileReader } from './types.js';

/**
 * cTrader's History tab export and its Account History export. Both are CSV with user-chosen columns
 * in any order; the zone of every time and the deposit currency are stated only in the headers.
 */
export type HistoryCsvFormat = Extract<FormatId, 'ctrader-history-csv' | 'ctrader-account-history-csv'>;

type TradeField =
  | 'sourceId'
  | 'symbol'
  | 'direction'
  | 'quantity'
  | 'volume'
  | 'entryTime'
  | 'exitTime'
  | 'entryPrice'
  | 'exitPrice'
  | 'gross'
  | 'commission'
  | 'swap'
  | 'net'
  | 'pips'
  | 'balanceAfter'
  | 'label';

/** Normalised header keys per field, most specific first: the first one present wins, the rest go to metadata. */
const FIELD_ALIASES: Record<TradeField, readonly string[]> = {
  sourceId: ['position id', 'id', 'deal id', 'position', 'order id', 'ticket'],
  symbol: ['symbol', 'instrument'],
  direction: ['type', 'opening direction', 'direction', 'side', 'trade side'],
  quantity: ['quantity', 'closing quantity', 'closed quantity', 'lots'],
  volume: ['volume', 'closing volume', 'closed volume', 'units'],
  entryTime: ['entry time', 'opening time', 'open time'],
  exitTime: ['closing time', 'close time', 'exit time'],
  entryPrice: ['entry price', 'opening price', 'open price'],
  exitPrice: ['closing price', 'close price', 'exit price'],
  gross: ['gross', 'gross profit'],
  commission: ['broker commission', 'commissions', 'commission'],
  swap: ['swaps', 'swap'],
  net: ['net', 'net profit', 'net pnl', 'profit'],
  pips: ['pips'],
  balanceAfter: ['balance'],
  label: ['label'],
};

const DISPLAY_NAMES: Record<TradeField, string> = {
  sourceId: 'ID',
  symbol: 'Symbol',
  direction: 'Type / Opening direction',
  quantity: 'Quantity',
  volume: 'Volume',
  entryTime: 'Entry time',
  exitTime: 'Closing time',
  entryPrice: 'Entry price',
  exitPrice: 'Closing price',
  gross: 'Gross',
  commission: 'Commission',
  swap: 'Swaps',
  net: 'Net',
  pips: 'Pips',
  balanceAfter: 'Balance',
  label: 'Label',
};

const MONEY_FIELDS: readonly TradeField[] = ['net', 'gross', 'balanceAfter', 'commission', 'swap'];

/** Keys only the Account History export uses; the History tab says Type / Entry time / Quantity instead. */
const ACCOUNT_HISTORY_KEYS = new Set(['opening direction', 'closing quantity', 'opening time', 'deal id', 'closing volume']);

export function historyCsvKind(headerKeys: readonly string[]): HistoryCsvFormat {
  return headerKeys.some((k) => ACCOUNT_HISTORY_KEYS.has(k)) ? 'ctrader-account-history-csv' : 'ctrader-history-csv';
}

/** Columns whose names are cTrader's own wording; plain words such as Symbol or Volume say little. */
const DISTINCTIVE_FIELDS: readonly TradeField[] = ['direction', 'entryTime', 'exitTime', 'entryPrice', 'exitPrice', 'commission', 'swap', 'net', 'pips', 'balanceAfter'];

/**
 * Whether a header row looks like either export: a closing time with a net amount or direction, or
 * else three of cTrader's distinctive column names. The second case lets a file that lost a required
 * column be read far enough to say which one it lost, instead of being called an unknown format.
 */
export function looksLikeHistoryHeader(headerKeys: readonly string[]): boolean {
  const has = (field: TradeField) => FIELD_ALIASES[field].some((a) => headerKeys.includes(a));
  if (has('exitTime') && (has('net') || has('direction'))) return true;
  return DISTINCTIVE_FIELDS.filter(has).length >= 3;
}

const DEFAULT_BATCH = 10_000;

export function readHistoryCsv(source: ByteSource, opts: ReadOptions): TradeFileReader {
  const context: SourceContext = { format: 'ctrader-history-csv' };
  return {
    context,
    batches: () => historyBatches(source, opts, context),
  };
}

interface ColumnPlan {
  columns: ColumnName[];
  index: Record<TradeField, number>;
  /** Header of each field as the file wrote it (or a display name when absent), for messages. */
  names: Record<TradeField, string>;
  /** Columns no field claimed, kept in metadata under their original header. */
  extras: { index: number; name: string }[];
  exitOffset: number;
  entryOffset: number;
}

async function* historyBatches(source: ByteSource, opts: ReadOptions, context: SourceContext): AsyncGenerator<SourcedTrade[]> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const text = textChunks(source, { file: opts.file, maxLineBytes: opts.maxLineBytes });
  let plan: ColumnPlan | undefined;
  let row = 0;
  let out: SourcedTrade[] = [];
  // The file's single symbol, when every trade has the same one.
  let symbol: string | undefined;
  let mixedSymbols = false;

  for await (const batch of csvRowBatches(text, { file: opts.file, maxRowChars: opts.maxLineBytes * 4 })) {
    for (let i = 0; i < batch.rows.length; i++) {
      const cells = batch.rows[i] ?? [];
      if (cells.length === 1 && (cells[0] ?? '').trim() === '') continue;
      const line = rowLine(batch, i);
      if (!plan) {
        plan = planColumns(cells, line, opts, context);
        continue;
      }
      row++;
      const malformed = batch.malformed?.get(i);
      const trade = malformed ? reject(opts, line, row, 'row', 'properly quoted CSV fields', malformed, 'malformed_quotes') : toTrade(cells, plan, opts, line, row);
      if (trade) {
        if (symbol === undefined) symbol = trade.symbol;
        else if (trade.symbol !== symbol) mixedSymbols = true;
        out.push(trade);
        if (out.length >= batchSize) {
          yield out;
          out = [];
        }
      }
    }
  }
  if (!plan) {
    throw new AppError('missing_columns', `${opts.file} has no header row`, { file: opts.file, line: 1, expected: 'a header row naming the columns', found: 'no rows' });
  }
  if (symbol !== undefined && !mixedSymbols) context.symbol = symbol;
  if (out.length) yield out;
}

function planColumns(cells: string[], line: number, opts: ReadOptions, context: SourceContext): ColumnPlan {
  const columns = cells.map(describeColumn);
  const keys = columns.map((c) => c.key);
  const index = {} as Record<TradeField, number>;
  const claimed = new Set<number>();
  for (const field of Object.keys(FIELD_ALIASES) as TradeField[]) {
    index[field] = -1;
    for (const alias of FIELD_ALIASES[field]) {
      const at = keys.findIndex((k, i) => k === alias && !claimed.has(i));
      if (at !== -1) {
        index[field] = at;
        claimed.add(at);
        break;
      }
    }
  }

  const required: TradeField[] = ['exitTime', 'direction', 'net'];
  if (!opts.symbol) required.push('symbol');
  const missing = required.filter((f) => index[f] === -1).map((f) => DISPLAY_NAMES[f]);
  const found = columns.map((c) => c.original);
  if (missing.length) {
    throw new AppError('missing_columns', `${opts.file}: the header lacks ${missing.join(', ')} (found: ${found.join(', ')})`, {
      file: opts.file,
      line,
      field: missing.join(', '),
      expected: `columns ${missing.join(', ')}`,
      found: printable(found.join(', ')),
      missing,
      columns: found,
    });
  }

  context.format = historyCsvKind(keys);
  context.columns = found;
  if (opts.symbol) context.symbol = opts.symbol;

  const currencies = MONEY_FIELDS.map((f) => columns[index[f]]?.currency).filter((c): c is string => c !== undefined);
  if (currencies[0]) context.accountCurrency = currencies[0];
  if (new Set(currencies).size > 1) {
    opts.issues.add({
      severity: 'warning',
      code: 'currency_mismatch',
      message: `${opts.file}: money columns name different currencies (${[...new Set(currencies)].join(', ')}); using ${currencies[0]}`,
      file: opts.file,
      line,
      expected: 'one deposit currency',
      found: [...new Set(currencies)].join(', '),
    });
  }

  const exitColumn = columns[index.exitTime];
  const entryColumn = columns[index.entryTime];
  const exitOffset = exitColumn?.utcOffsetMinutes ?? entryColumn?.utcOffsetMinutes;
  if (exitOffset === undefined) {
    opts.issues.add({
      severity: 'warning',
      code: 'zone_assumed_utc',
      message: `${opts.file}: the time columns name no zone such as (UTC+1); times are read as UTC`,
      file: opts.file,
      line,
      field: exitColumn?.original,
      expected: 'a header like "Closing time (UTC+1)"',
      found: exitColumn?.original,
    });
  }
  context.utcOffsetMinutes = exitOffset ?? 0;

  const extras: ColumnPlan['extras'] = [];
  const usedNames = new Set<string>();
  columns.forEach((c, i) => {
    if (claimed.has(i)) return;
    let name = c.original || `column ${i + 1}`;
    for (let n = 2; usedNames.has(name); n++) name = `${c.original || `column ${i + 1}`} (${n})`;
    usedNames.add(name);
    extras.push({ index: i, name });
  });

  const names = {} as Record<TradeField, string>;
  for (const field of Object.keys(FIELD_ALIASES) as TradeField[]) names[field] = columns[index[field]]?.original ?? DISPLAY_NAMES[field];

  return {
    columns,
    index,
    names,
    extras,
    exitOffset: exitOffset ?? 0,
    entryOffset: entryColumn?.utcOffsetMinutes ?? exitOffset ?? 0,
  };
}

/** Cell text of a column, trimmed; empty when the file has no such column. */
function cellAt(cells: string[], at: number): string {
  if (at === -1) return '';
  const text = cells[at];
  if (text === undefined || text === '') return '';
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first > 32 && first !== 160 && last > 32 && last !== 160 ? text : text.trim();
}

// Kept flat and closure-free on purpose: it runs once per row, a million times per large file.
function toTrade(cells: string[], plan: ColumnPlan, opts: ReadOptions, line: number, row: number): SourcedTrade | undefined {
  const { index, columns } = plan;
  if (cells.length !== columns.length && (cells.length < columns.length || !onlyBlankAfter(cells, columns.length))) {
    return reject(opts, line, row, 'row', `${columns.length} fields`, `${cells.length} fields`, 'wrong_field_count');
  }

  const exitText = cellAt(cells, index.exitTime);
  const exitTime = parseCtraderDateTime(exitText, plan.exitOffset);
  if (exitTime === undefined) return reject(opts, line, row, plan.names.exitTime, CTRADER_DATETIME_EXPECTED, exitText);

  const directionText = cellAt(cells, index.direction);
  const direction = parseDirection(directionText);
  if (!direction) return reject(opts, line, row, plan.names.direction, 'Buy or Sell', directionText);

  const netText = cellAt(cells, index.net);
  const net = parseCtraderNumber(netText);
  if (net === undefined || net === null) return reject(opts, line, row, plan.names.net, NUMBER_EXPECTED, netText);

  const symbol = cellAt(cells, index.symbol) || opts.symbol;
  if (!symbol) return reject(opts, line, row, plan.names.symbol, 'a symbol name', '');

  const metadata: Record<string, unknown> = {};
  for (const extra of plan.extras) metadata[extra.name] = cellAt(cells, extra.index);

  const entryText = cellAt(cells, index.entryTime);
  let entryTime: number | null = null;
  if (entryText) {
    // Unlike other optional values, a wrong entry time would silently skew every timing analysis.
    const parsed = parseCtraderDateTime(entryText, plan.entryOffset);
    if (parsed === undefined) return reject(opts, line, row, plan.names.entryTime, CTRADER_DATETIME_EXPECTED, entryText);
    entryTime = parsed;
  }

  let quantity: number | null = null;
  let volume: number | null = null;
  for (let k = 0; k < 2; k++) {
    const field = k === 0 ? 'quantity' : 'volume';
    const text = cellAt(cells, index[field]);
    if (!text) continue;
    const parsed = parseQuantity(text);
    if (!parsed) {
      keepInvalid(cells, plan, opts, line, row, metadata, field, QUANTITY_EXPECTED);
      continue;
    }
    // The unit decides what the number is: "0.6 Lots" is a quantity whichever column holds it.
    const isQuantity = parsed.unit === null ? field === 'quantity' : isLotUnit(parsed.unit);
    if (parsed.value === null || (isQuantity ? quantity : volume) !== null) metadata[plan.names[field]] = text;
    else if (isQuantity) quantity = parsed.value;
    else volume = parsed.value;
  }

  const id = cellAt(cells, index.sourceId);
  const label = cellAt(cells, index.label);
  return {
    sourceId: id || String(row),
    symbol,
    direction,
    quantity,
    volume,
    entryTime,
    exitTime,
    entryPrice: optionalNumber(cells, plan, opts, line, row, metadata, 'entryPrice'),
    exitPrice: optionalNumber(cells, plan, opts, line, row, metadata, 'exitPrice'),
    gross: optionalNumber(cells, plan, opts, line, row, metadata, 'gross'),
    commission: optionalNumber(cells, plan, opts, line, row, metadata, 'commission'),
    swap: optionalNumber(cells, plan, opts, line, row, metadata, 'swap'),
    net,
    pips: optionalNumber(cells, plan, opts, line, row, metadata, 'pips'),
    balanceAfter: optionalNumber(cells, plan, opts, line, row, metadata, 'balanceAfter'),
    label: label || null,
    closeReason: 'unknown',
    stops: null,
    metadata,
    file: opts.file,
    line,
  };
}

// Positional parameters rather than a context object: no allocation per row on the hot path.
function optionalNumber(
  cells: string[],
  plan: ColumnPlan,
  opts: ReadOptions,
  line: number,
  row: number,
  metadata: Record<string, unknown>,
  field: TradeField,
): number | null {
  const text = cellAt(cells, plan.index[field]);
  if (!text) return null;
  const value = parseCtraderNumber(text);
  return value === undefined ? keepInvalid(cells, plan, opts, line, row, metadata, field, NUMBER_EXPECTED) : value;
}

/** An unreadable optional value: the trade keeps null, metadata keeps the text, and a warning says so. */
function keepInvalid(
  cells: string[],
  plan: ColumnPlan,
  opts: ReadOptions,
  line: number,
  row: number,
  metadata: Record<string, unknown>,
  field: TradeField,
  expected: string,
): null {
  const name = plan.names[field];
  const found = cellAt(cells, plan.index[field]);
  metadata[name] = found;
  opts.issues.add({
    severity: 'warning',
    code: 'invalid_value',
    message: `${opts.file} line ${line}: ${name} is not ${expected}; kept as text in metadata`,
    file: opts.file,
    line,
    row,
    field: name,
    expected,
    found: printable(found),
  });
  return null;
}

function onlyBlankAfter(cells: string[], from: number): boolean {
  for (let i = from; i < cells.length; i++) if ((cells[i] ?? '').trim() !== '') return false;
  return true;
}

function reject(
  opts: ReadOptions,
  line: number,
  row: number,
  field: string,
  expected: string,
  found: string,
  code = 'invalid_value',
): undefined {
  opts.issues.add({
    severity: 'reject',
    code,
    message: `${opts.file} line ${line}: ${field} is not ${expected} (found "${printable(found)}")`,
    file: opts.file,
    line,
    row,
    field,
    expected,
    found: printable(found),
  });
  return undefined;
}
