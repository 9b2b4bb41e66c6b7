import type { BarColumns } from '../../formats/types.js';
import { AppError } from '../../runtime/errors.js';
import type { CompiledStrategy } from './compiled-strategy.js';

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

/**
 * Checks bars before a run, because a NaN or an unordered time would not fail loudly in the engine:
 * it would quietly produce wrong trades. Throws AppError('invalid_value') naming the bar (index and
 * time), the field, what was expected and what was found, for: columns of different lengths, a
 * non-finite price or time, a time not after the previous bar's (duplicate or out of order),
 * high < low, open or close outside [low, high], a negative or infinite volume (NaN volume means
 * "not given" and is accepted).
 */
export function validateBars(bars: BarColumns, file?: string): void {
  const { length, time, high, low, volume } = bars;
  for (const field of ['time', ...PRICE_FIELDS, 'volume'] as const) {
    if (bars[field].length !== length) {
      throw new AppError('invalid_value', `bars: column ${field} has ${bars[field].length} values but length is ${length}`, {
        ...(file === undefined ? {} : { file }),
        field,
        expected: `${length} values`,
        found: `${bars[field].length} values`,
      });
    }
  }
  if (length === 0) {
    throw new AppError('unprocessable', 'bars: no bars to run on', {
      ...(file === undefined ? {} : { file }),
      expected: 'at least one bar',
      found: '0 bars',
    });
  }
  const { open, close } = bars;
  // One tight pass with plain comparisons; the error path below works out which rule failed.
  for (let i = 0; i < length; i++) {
    const t = time[i]!;
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const v = volume[i]!;
    const ordered = i === 0 ? t - t === 0 : t > time[i - 1]! && t - t === 0;
    const pricesOk = l <= o && o <= h && l <= c && c <= h && h - h === 0 && l - l === 0;
    const volumeOk = !(v < 0 || v === Number.POSITIVE_INFINITY);
    if (!(ordered && pricesOk && volumeOk)) throw describeBadBar(bars, file, i);
  }
}

function describeBadBar(bars: BarColumns, file: string | undefined, i: number): AppError {
  const t = bars.time[i]!;
  if (!Number.isFinite(t)) return barError(bars, file, i, 'time', 'a finite UTC millisecond time', String(t));
  if (i > 0 && !(t > bars.time[i - 1]!)) {
    const what = t === bars.time[i - 1]! ? 'duplicates' : 'is before';
    return barError(bars, file, i, 'time', `a time after bar ${i - 1} (${iso(bars.time[i - 1]!)})`, `${iso(t)}, which ${what} the previous bar`);
  }
  for (const field of PRICE_FIELDS) {
    const value = bars[field][i]!;
    if (!Number.isFinite(value)) return barError(bars, file, i, field, 'a finite price', String(value));
  }
  const h = bars.high[i]!;
  const l = bars.low[i]!;
  if (h < l) return barError(bars, file, i, 'high', `high >= low (${l})`, String(h));
  for (const field of ['open', 'close'] as const) {
    const value = bars[field][i]!;
    if (value < l || value > h) return barError(bars, file, i, field, `a price within [low, high] = [${l}, ${h}]`, String(value));
  }
  return barError(bars, file, i, 'volume', 'a volume >= 0 (NaN when not given)', String(bars.volume[i]));
}

/**
 * Throws AppError('unprocessable') when the bars are too few for the strategy's slowest indicator to
 * produce a value and leave one bar to trade on, naming the indicator and the count needed.
 */
export function requireEnoughBars(barCount: number, strategy: CompiledStrategy, file?: string): void {
  const slowest = strategy.slowestIndicator;
  if (barCount >= strategy.requiredBars) return;
  const needed = strategy.requiredBars;
  const message = slowest
    ? `indicator "${slowest.id}" (${slowest.type} ${describeParams(slowest.params)}) has no value for its first ${slowest.warmup} bars; ` +
      `a run needs at least ${needed} bars (its warm-up, one bar for its first value, one to act on it), the data has ${barCount}`
    : `a run needs at least ${needed} bars (one to decide, one to act), the data has ${barCount}`;
  throw new AppError('unprocessable', message, {
    ...(file === undefined ? {} : { file }),
    field: slowest ? `indicators.${slowest.id}` : 'bars',
    expected: `at least ${needed} bars`,
    found: `${barCount} bars`,
    ...(slowest ? { indicator: slowest.id, warmup: slowest.warmup } : {}),
  });
}

function describeParams(params: Record<string, number>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
}

function barError(bars: BarColumns, file: string | undefined, index: number, field: string, expected: string, found: string): AppError {
  const t = bars.time[index]!;
  const when = Number.isFinite(t) ? iso(t) : 'unknown time';
  return new AppError('invalid_value', `bar ${index} (${when}): ${field} must be ${expected}, found ${found}`, {
    ...(file === undefined ? {} : { file }),
    row: index + 1,
    field,
    expected,
    found,
    bar: index,
    time: Number.isFinite(t) ? t : null,
  });
}

function iso(t: number): string {
  const date = new Date(t);
  return Number.isNaN(date.getTime()) ? String(t) : date.toISOString();
}
