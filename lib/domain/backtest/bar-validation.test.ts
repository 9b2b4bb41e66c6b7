import { describe, expect, it } from 'vitest';
import { AppError } from '../../runtime/errors.js';
import { barsFromRows, CROSSING_ROWS, testSpec } from '../../../tests/support/backtest-kit.js';
import { requireEnoughBars, validateBars } from './bar-validation.js';
import { compileStrategy } from './compile.js';
import type { BarColumns } from '../../formats/types.js';

function errorOf(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

function broken(edit: (bars: BarColumns) => void): AppError {
  const bars = barsFromRows(CROSSING_ROWS);
  edit(bars);
  return errorOf(() => validateBars(bars, 'eurusd.csv'));
}

describe('validateBars', () => {
  it('accepts well-formed bars', () => {
    expect(() => validateBars(barsFromRows(CROSSING_ROWS))).not.toThrow();
  });

  it.each([
    ['a NaN close', (b: BarColumns) => (b.close[3] = Number.NaN), 3, 'close'],
    ['an infinite high', (b: BarColumns) => (b.high[2] = Number.POSITIVE_INFINITY), 2, 'high'],
    ['a NaN time', (b: BarColumns) => (b.time[4] = Number.NaN), 4, 'time'],
    ['high below low', (b: BarColumns) => ((b.high[1] = 98), (b.open[1] = 98.5), (b.close[1] = 98.5), (b.low[1] = 98.9)), 1, 'high'],
    ['an open above the high', (b: BarColumns) => (b.open[5] = 101), 5, 'open'],
    ['a close below the low', (b: BarColumns) => (b.close[6] = 100), 6, 'close'],
    ['a negative volume', (b: BarColumns) => (b.volume[2] = -1), 2, 'volume'],
  ])('rejects %s, naming the bar and the field', (_name, edit, bar, field) => {
    const error = broken(edit);
    expect(error.code).toBe('invalid_value');
    expect(error.details).toMatchObject({ file: 'eurusd.csv', bar, row: bar + 1, field });
    expect(error.message).toContain(`bar ${bar}`);
  });

  it('rejects a duplicate time and says so', () => {
    const error = broken((b) => (b.time[3] = b.time[2]!));
    expect(error.details).toMatchObject({ bar: 3, field: 'time' });
    expect(error.message).toContain('2024-01-01T02:00:00.000Z');
    expect(error.message).toContain('duplicates');
  });

  it('rejects a time going backwards', () => {
    const error = broken((b) => (b.time[5] = b.time[1]!));
    expect(error.details).toMatchObject({ bar: 5, field: 'time', time: timeOfBar(1) });
    expect(error.message).toContain('is before');
  });

  it('rejects columns of different lengths', () => {
    const error = broken((b) => (b.volume = new Float64Array(3)));
    expect(error.details).toMatchObject({ field: 'volume' });
  });

  it('accepts a NaN volume as "not given"', () => {
    const bars = barsFromRows(CROSSING_ROWS);
    bars.volume.fill(Number.NaN);
    expect(() => validateBars(bars)).not.toThrow();
  });
});

function timeOfBar(bar: number): number {
  return barsFromRows(CROSSING_ROWS).time[bar]!;
}

describe('requireEnoughBars', () => {
  const spec = testSpec({
    parameters: { slowPeriod: { type: 'int', default: 50, min: 2 } },
    indicators: [
      { id: 'fast', type: 'sma', params: { period: 5 } },
      { id: 'slow', type: 'sma', params: { period: { param: 'slowPeriod' } } },
    ],
    rules: { long: { entry: { op: 'crossAbove', left: 'fast', right: 'slow' } } },
  });

  it('names the slowest indicator and the bars it needs', () => {
    const error = errorOf(() => requireEnoughBars(40, compileStrategy(spec)));
    expect(error.code).toBe('unprocessable');
    expect(error.message).toContain('"slow"');
    expect(error.message).toContain('at least 51 bars');
    expect(error.details).toMatchObject({ indicator: 'slow', expected: 'at least 51 bars', found: '40 bars' });
  });

  it('passes with enough bars for that parameter value', () => {
    expect(() => requireEnoughBars(40, compileStrategy(spec, { slowPeriod: 30 }))).not.toThrow();
  });
});
