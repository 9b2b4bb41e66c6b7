import { describe, expect, it } from 'vitest';
import {
  INDICATORS,
  atr,
  bollingerBands,
  donchianChannel,
  ema,
  highest,
  lowest,
  macd,
  priceSource,
  resolveIndicatorParams,
  rsi,
  sma,
  stochastic,
  wma,
} from './index.js';

const prices = Float64Array.from([1, 2, 3, 4, 5]);
const bars = { open: prices, high: prices, low: prices, close: prices };

describe('argument validation', () => {
  it.each([0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects period %s with a RangeError naming it', (bad) => {
    for (const indicator of [sma, ema, wma, rsi, highest, lowest]) {
      expect(() => indicator(prices, bad)).toThrow(RangeError);
      expect(() => indicator(prices, bad)).toThrow(/^period must be an integer >= 1/);
    }
    expect(() => atr(bars, bad)).toThrow(/^period /);
    expect(() => bollingerBands(prices, bad)).toThrow(/^period /);
    expect(() => donchianChannel(bars, bad)).toThrow(/^period /);
  });

  it('names the offending period of multi-period indicators', () => {
    expect(() => macd(prices, 12, 0, 9)).toThrow(/^slowPeriod /);
    expect(() => macd(prices, 12, 26, 1.5)).toThrow(/^signalPeriod /);
    expect(() => stochastic(bars, 14, 0, 3)).toThrow(/^kSlowing /);
    expect(() => bollingerBands(prices, 20, -1)).toThrow(/^deviations /);
  });

  it('returns all NaN, not an error, when the series is shorter than the warm-up', () => {
    for (const output of [sma(prices, 6), ema(prices, 6), rsi(prices, 5), highest(prices, 6), atr(bars, 6)]) {
      expect(output).toHaveLength(5);
      expect([...output].every(Number.isNaN)).toBe(true);
    }
    expect(sma(new Float64Array(0), 3)).toHaveLength(0);
  });

  it('rejects bars whose columns differ in length', () => {
    expect(() => atr({ high: prices, low: prices.subarray(1), close: prices })).toThrow(/low has 4 entries but high has 5/);
  });
});

describe('the indicator registry', () => {
  it('fills defaults and rejects unknown or out-of-range parameters by name', () => {
    expect(resolveIndicatorParams(INDICATORS.macd, { slowPeriod: 30 })).toEqual({
      fastPeriod: 12,
      slowPeriod: 30,
      signalPeriod: 9,
    });
    expect(() => INDICATORS.sma.warmup({ lenght: 3 })).toThrow(/sma has no parameter lenght/);
    expect(() => INDICATORS.rsi.compute(bars, { period: 0 })).toThrow(/^rsi\.period must be an integer >= 1/);
    expect(() => INDICATORS.bollinger.compute(bars, { deviations: -0.5 })).toThrow(/^bollinger\.deviations /);
  });

  it('gives warm-ups that follow the parameters', () => {
    expect(INDICATORS.sma.warmup({ period: 20 })).toBe(19);
    expect(INDICATORS.rsi.warmup()).toBe(14);
    expect(INDICATORS.macd.warmup()).toBe(33);
    expect(INDICATORS.stochastic.warmup({ kPeriod: 5, kSlowing: 1, dPeriod: 4 })).toBe(7);
  });

  it('describes every parameter with a default that satisfies its own minimum', () => {
    for (const definition of Object.values(INDICATORS)) {
      expect(definition.outputs.length).toBeGreaterThan(0);
      for (const parameter of definition.parameters) expect(parameter.default).toBeGreaterThanOrEqual(parameter.min);
      expect(() => definition.compute(bars)).not.toThrow();
    }
  });
});

describe('price sources', () => {
  it('derive median, typical and weighted prices from high, low and close', () => {
    const candle = { open: Float64Array.of(1), high: Float64Array.of(10), low: Float64Array.of(2), close: Float64Array.of(6) };
    expect(priceSource(candle, 'median')[0]).toBe(6);
    expect(priceSource(candle, 'typical')[0]).toBe(6);
    expect(priceSource(candle, 'weighted')[0]).toBe(6);
    expect(priceSource(candle, 'open')).toBe(candle.open);
  });
});
