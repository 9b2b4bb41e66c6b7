import { AppError, printable } from '../runtime/errors.js';
import { describeColumn, type ColumnName } from './column-names.js';
import { parseAnyDateTime } from './ctrader-datetime.js';
import { NUMBER_EXPECTED, parseCtraderNumber } from './ctrader-number.js';
import { csvRowBatches, rowLine } from './csv-rows.js';
import { textChunks } from './text-input.js';
import type { BarColumns, BarFileContext, BarFileReader, ByteSource, ReadOptions } from './types.js';

/**
 * Price bars from CSV, as columns. Layouts recognised:
 * - backtrader: `Date,Open,High,Low,Close,Volume,OpenInterest` (optionally a separate `Time` column);
 * - backtesting.py: `,Open,High,Low,Close,Volume`, the unnamed first column being the date index
 *   (`2004-08-19` or `2017-04-19 09:00:00`);
 * - ctrader: `Date Time (UTC+2),Open,High,Low,Close,Tick Volume` with day-first stamps
 *   (`02/03/2026 14:45`), as a cBot exporting `Bars` with cTrader's own date format writes it; the
 *   zone comes from the header like cTrader's other exports;
 * - generic: any header with a date/time column and Open, High, Low, Close (Volume optional).
 * Day-first and year-first stamps are told apart per value; US month-first dates are not supported.
 * Times without a zone are read as UTC. A missing volume is NaN, never a made-up zero.
 */

const TIME_KEYS = ['date time', 'datetime', 'timestamp', 'time', 'open time', 'gmt time', 'local time', 'date'];
const VOLUME_KEYS = ['volume', 'tick volume', 'tickvolume', 'vol', 'real volume'];
const PRICE_KEYS = ['open', 'high', 'low', 'close'] as const;
const DEFAULT_BATCH = 10_000;
const BAR_TIME_EXPECTED = 'a date-time such as 2017-04-19 09:00:00, 02/03/2026 14:45 or an epoch';

interface BarPlan {
  /** Column of the stamp, or of the date when a separate time column follows it. */
  time: number;
  /** Separate time-of-day column (backtrader's Date + Time), or -1. */
  timeOfDay: number;
  prices: [number, number, number, number];
  volume: number;
  names: string[];
  utcOffsetMinutes: number;
}

export function readOhlcCsv(source: ByteSource, opts: ReadOptions): BarFileReader {
  const context: BarFileContext = { format: 'ohlc-csv', layout: 'generic', columns: [], utcOffsetMinutes: 0 };
  if (opts.symbol) context.symbol = opts.symbol;
  return { context, batches: () => barBatches(source, opts, context) };
}

/** Whether a header names a time column and the four prices: what detection calls an OHLC file. */
export function looksLikeOhlcHeader(headerKeys: readonly string[]): boolean {
  return PRICE_KEYS.every((k) => headerKeys.includes(k)) && (headerKeys[0] === '' || TIME_KEYS.some((k) => headerKeys.includes(k)));
}

async function* barBatches(source: ByteSource, opts: ReadOptions, context: BarFileContext): AsyncGenerator<BarColumns> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const text = textChunks(source, { file: opts.file, maxLineBytes: opts.maxLineBytes });
  let plan: BarPlan | undefined;
  let bars = newColumns(batchSize);
  let row = 0;

  for await (const batch of csvRowBatches(text, { file: opts.file, maxRowChars: opts.maxLineBytes * 4 })) {
    for (let i = 0; i < batch.rows.length; i++) {
      const cells = batch.rows[i] ?? [];
      if (cells.length === 1 && (cells[0] ?? '').trim() === '') continue;
      const line = rowLine(batch, i);
      if (!plan) {
        plan = planBars(cells, line, opts, context);
        continue;
      }
      row++;
      if (readBar(cells, plan, bars, opts, line, row) && bars.length === batchSize) {
        yield bars;
        bars = newColumns(batchSize);
      }
    }
  }
  if (!plan) {
    throw new AppError('missing_columns', `${opts.file} has no header row`, { file: opts.file, line: 1, expected: 'a header row naming the columns', found: 'no rows' });
  }
  if (bars.length) yield trimmed(bars);
}

function planBars(cells: string[], line: number, opts: ReadOptions, context: BarFileContext): BarPlan {
  const columns: ColumnName[] = cells.map(describeColumn);
  const keys = columns.map((c) => c.key);
  const find = (candidates: readonly string[]) => {
    for (const k of candidates) {
      const at = keys.indexOf(k);
      if (at !== -1) return at;
    }
    return -1;
  };
  const hasDateAndTime = keys.includes('date') && keys.includes('time');
  let time = hasDateAndTime ? keys.indexOf('date') : find(TIME_KEYS);
  if (time === -1 && keys[0] === '') time = 0;
  const prices = PRICE_KEYS.map((k) => keys.indexOf(k)) as BarPlan['prices'];
  const names = columns.map((c) => c.original);

  const missing = [...(time === -1 ? ['Date/Time'] : []), ...PRICE_KEYS.filter((_, i) => prices[i] === -1).map(capitalise)];
  if (missing.length) {
    throw new AppError('missing_columns', `${opts.file}: the header lacks ${missing.join(', ')} (found: ${names.join(', ')})`, {
      file: opts.file,
      line,
      field: missing.join(', '),
      expected: `columns ${missing.join(', ')}`,
      found: printable(names.join(', ')),
      missing,
      columns: names,
    });
  }

  const volume = find(VOLUME_KEYS);
  const zone = columns[time]?.utcOffsetMinutes ?? (hasDateAndTime ? columns[keys.indexOf('time')]?.utcOffsetMinutes : undefined);
  context.columns = names;
  context.utcOffsetMinutes = zone ?? 0;
  context.layout = keys[0] === '' ? 'backtesting.py' : keys.includes('openinterest') ? 'backtrader' : keys[volume] === 'tick volume' || keys[time] === 'date time' ? 'ctrader' : 'generic';
  return { time, timeOfDay: hasDateAndTime ? keys.indexOf('time') : -1, prices, volume, names, utcOffsetMinutes: zone ?? 0 };
}

function readBar(cells: string[], plan: BarPlan, bars: BarColumns, opts: ReadOptions, line: number, row: number): boolean {
  const reject = (field: string, expected: string, found: string, code = 'invalid_value'): false => {
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
    return false;
  };
  if (cells.length < plan.names.length) return reject('row', `${plan.names.length} fields`, `${cells.length} fields`, 'wrong_field_count');

  const stamp = plan.timeOfDay === -1 ? cell(cells, plan.time) : `${cell(cells, plan.time)} ${cell(cells, plan.timeOfDay)}`;
  const time = parseBarTime(stamp, plan.utcOffsetMinutes);
  if (time === undefined) return reject(plan.names[plan.time] || 'date index', BAR_TIME_EXPECTED, stamp);

  const ohlc = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) {
    const at = plan.prices[k] ?? -1;
    const text = cell(cells, at);
    const value = parseCtraderNumber(text);
    if (typeof value !== 'number') return reject(plan.names[at] ?? capitalise(PRICE_KEYS[k] ?? ''), NUMBER_EXPECTED, text);
    ohlc[k] = value;
  }
  const [open = 0, high = 0, low = 0, close = 0] = ohlc;
  if (high < low || open > high || open < low || close > high || close < low) {
    return reject('High/Low', 'a bar whose High is at least Open, Close and Low', `open ${open}, high ${high}, low ${low}, close ${close}`, 'impossible_bar');
  }

  let volume = Number.NaN;
  if (plan.volume !== -1) {
    const text = cell(cells, plan.volume);
    const value = text === '' ? null : parseCtraderNumber(text);
    if (typeof value === 'number') volume = value;
    else if (value === undefined) {
      opts.issues.add({
        severity: 'warning',
        code: 'invalid_value',
        message: `${opts.file} line ${line}: ${plan.names[plan.volume]} is not a number; the bar is kept without volume`,
        file: opts.file,
        line,
        row,
        field: plan.names[plan.volume],
        expected: NUMBER_EXPECTED,
        found: printable(text),
      });
    }
  }

  const n = bars.length;
  bars.time[n] = time;
  bars.open[n] = open;
  bars.high[n] = high;
  bars.low[n] = low;
  bars.close[n] = close;
  bars.volume[n] = volume;
  bars.length = n + 1;
  return true;
}

/** Stamps in either date order, or an epoch in seconds (up to 11 digits) or milliseconds. */
export function parseBarTime(text: string, utcOffsetMinutes: number): number | undefined {
  if (/^\d{9,13}$/.test(text)) {
    const n = Number(text);
    return text.length <= 11 ? n * 1000 : n;
  }
  return parseAnyDateTime(text, utcOffsetMinutes);
}

function cell(cells: string[], at: number): string {
  return at === -1 ? '' : (cells[at] ?? '').trim();
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function newColumns(size: number): BarColumns {
  return {
    length: 0,
    time: new Float64Array(size),
    open: new Float64Array(size),
    high: new Float64Array(size),
    low: new Float64Array(size),
    close: new Float64Array(size),
    volume: new Float64Array(size),
  };
}

function trimmed(bars: BarColumns): BarColumns {
  const n = bars.length;
  return {
    length: n,
    time: bars.time.slice(0, n),
    open: bars.open.slice(0, n),
    high: bars.high.slice(0, n),
    low: bars.low.slice(0, n),
    close: bars.close.slice(0, n),
    volume: bars.volume.slice(0, n),
  };
}
