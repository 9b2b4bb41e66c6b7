import { describe, expect, it } from 'vitest';
import { HOUR, MONDAY, testSpec } from '../../../tests/support/backtest-kit.js';
import { barClock } from './bar-clock.js';
import { compileStrategy } from './compile.js';
import { SignalEvaluator } from './signals.js';

/** Bar indices where the long entry condition holds, on bars `stepMs` apart from Monday 00:00 UTC. */
function passingBars(entry: Record<string, unknown>, count: number, stepMs: number): number[] {
  const time = Float64Array.from({ length: count }, (_, i) => MONDAY + i * stepMs);
  const strategy = compileStrategy(testSpec({ rules: { long: { entry } } }));
  const evaluator = new SignalEvaluator({
    length: count,
    series: () => {
      throw new Error('time filters read no price');
    },
    clock: () => barClock(time),
  });
  const signal = evaluator.signal(strategy.long!.entry);
  return [...signal.keys()].filter((i) => signal[i] === 1);
}

describe('time filters on the bar open time (UTC)', () => {
  it('weekday keeps bars opening on the listed days', () => {
    expect(passingBars({ op: 'weekday', days: ['mon', 'fri'] }, 14, 24 * HOUR)).toEqual([0, 4, 7, 11]);
    expect(passingBars({ op: 'weekday', days: ['sat', 'sun'] }, 8, 24 * HOUR)).toEqual([5, 6]);
  });

  it('an hour window is [from, to)', () => {
    expect(passingBars({ op: 'hours', from: '09:00', to: '11:00' }, 24, HOUR)).toEqual([9, 10]);
  });

  it('an hour window with from after to wraps midnight', () => {
    expect(passingBars({ op: 'hours', from: '22:00', to: '02:00' }, 48, HOUR)).toEqual([0, 1, 22, 23, 24, 25, 46, 47]);
  });

  it('an hour window can end at 24:00 and works on minutes', () => {
    expect(passingBars({ op: 'hours', from: '23:30', to: '24:00' }, 48, 30 * 60_000)).toEqual([47]);
  });

  it('sessions are fixed UTC hour windows and several are a union', () => {
    expect(passingBars({ op: 'session', sessions: ['london'] }, 24, HOUR)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(passingBars({ op: 'session', sessions: ['asia'] }, 24, HOUR)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(passingBars({ op: 'session', sessions: ['london', 'newYork'] }, 24, HOUR)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
  });

  it('combine with and/or/not', () => {
    const weekdayMornings = { op: 'and', all: [{ op: 'hours', from: '06:00', to: '08:00' }, { op: 'not', condition: { op: 'weekday', days: ['tue'] } }] };
    expect(passingBars(weekdayMornings, 48, HOUR)).toEqual([6, 7]);
  });

  it('works before 1970 (negative times)', () => {
    const time = Float64Array.of(Date.UTC(1969, 11, 31, 23, 15));
    expect(barClock(time)).toEqual({ minuteOfDay: Uint16Array.of(23 * 60 + 15), weekday: Uint8Array.of(3) });
  });
});
