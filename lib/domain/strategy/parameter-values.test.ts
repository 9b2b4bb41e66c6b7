import { describe, expect, it } from 'vitest';
import { AppError } from '../../runtime/errors.js';
import { resolveParameterValues } from './parameter-values.js';
import type { ParameterSpace } from './parameters-schema.js';

const space: ParameterSpace = {
  fastPeriod: { type: 'int', default: 10, min: 2, max: 50 },
  deviation: { type: 'float', default: 2, min: 0.5 },
  useFilter: { type: 'bool', default: true },
  maType: { type: 'enum', default: 'sma', values: ['sma', 'ema'] },
};

function refusal(given: Record<string, unknown>): AppError {
  try {
    resolveParameterValues(space, given);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('parameter values for a run', () => {
  it('fill missing values with defaults', () => {
    expect(resolveParameterValues(space, { fastPeriod: 12 })).toEqual({ fastPeriod: 12, deviation: 2, useFilter: true, maType: 'sma' });
  });

  it.each([
    [{ fastPeriod: 60 }, 'fastPeriod', 'an integer between 2 and 50'],
    [{ fastPeriod: 12.5 }, 'fastPeriod', 'an integer between 2 and 50'],
    [{ fastPeriod: '12' }, 'fastPeriod', 'an integer between 2 and 50'],
    [{ deviation: 0.1 }, 'deviation', 'a number >= 0.5'],
    [{ deviation: Number.NaN }, 'deviation', 'a number >= 0.5'],
    [{ useFilter: 'yes' }, 'useFilter', 'true or false'],
    [{ maType: 'hull' }, 'maType', 'one of sma, ema'],
  ])('refuse %j naming the parameter', (given, field, expected) => {
    const error = refusal(given);
    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ field, expected });
    expect(error.message).toContain(`parameter ${field}`);
  });

  it('refuse a name the strategy does not define', () => {
    const error = refusal({ slowPeriod: 20 });
    expect(error.details).toMatchObject({ field: 'slowPeriod', expected: 'fastPeriod, deviation, useFilter, maType' });
  });
});
