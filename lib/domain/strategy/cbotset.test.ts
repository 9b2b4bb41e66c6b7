import { describe, expect, it } from 'vitest';
import { AppError } from '../../runtime/errors.js';
import { fromCbotset, parameterSetToValues, toCbotset } from './cbotset.js';
import type { ParameterSpace } from './parameters-schema.js';

const space: ParameterSpace = {
  fastPeriod: { type: 'int', default: 10, min: 5, max: 50 },
  deviations: { type: 'float', default: 2 },
  maType: { type: 'enum', default: 'ema', values: ['sma', 'ema', 'wma'] },
  sessionFilter: { type: 'bool', default: true },
};

describe('.cbotset', () => {
  it('writes the chart and every parameter value as JSON values', () => {
    expect(toCbotset(space, { fastPeriod: 20 }, { symbol: 'EURUSD', timeframe: 'h1' })).toEqual({
      Chart: { Symbol: 'EURUSD', Period: 'h1' },
      Parameters: { fastPeriod: 20, deviations: 2, maType: 'ema', sessionFilter: true },
    });
  });

  it('round-trips values and chart through JSON text', () => {
    const values = { fastPeriod: 35, deviations: 2.75, maType: 'wma', sessionFilter: false };
    const text = JSON.stringify(toCbotset(space, values, { symbol: 'US30', timeframe: 'm5' }));
    expect(fromCbotset(space, JSON.parse(text))).toEqual({ values, symbol: 'US30', timeframe: 'm5' });
  });

  it('reads values written as strings, C# booleans and enum indexes', () => {
    const read = fromCbotset(space, { Parameters: { fastPeriod: '15', deviations: '1.5', maType: 2, sessionFilter: 'False' } });
    expect(read).toEqual({ values: { fastPeriod: 15, deviations: 1.5, maType: 'wma', sessionFilter: false } });
  });

  it('refuses an unknown parameter rather than silently running its default', () => {
    expect(() => fromCbotset(space, { Parameters: { fastPeriod: 15, slowPeriod: 30 } })).toThrow(AppError);
  });

  it('refuses a value outside the parameter range, naming it', () => {
    try {
      parameterSetToValues(space, { parameters: { fastPeriod: '80' } });
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).details).toMatchObject({ field: 'fastPeriod', expected: 'an integer between 5 and 50' });
    }
  });

  it('refuses text that is not a number for a numeric parameter', () => {
    try {
      fromCbotset(space, { Parameters: { deviations: 'two' } });
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).details).toMatchObject({ field: 'deviations', found: 'two' });
    }
  });

  it('refuses a document without Parameters', () => {
    expect(() => fromCbotset(space, { Chart: { Symbol: 'EURUSD' } })).toThrow(/Parameters/);
  });
});
