import { describe, expect, it } from 'vitest';
import { AppError } from '../../runtime/errors.js';
import { loadLibrarySpec, strategyLibrary } from './library/index.js';
import { applyOptimisationParams, fromCtraderOptimisationJson, toCtraderOptimisationJson, toOptimisationParams } from './optimisation-params.js';
import type { ParameterSpace } from './parameters-schema.js';

const space: ParameterSpace = {
  fastPeriod: { type: 'int', default: 10, min: 5, max: 50, step: 5, optimize: true },
  deviations: { type: 'float', default: 2, min: 1.5, max: 3, step: 0.25, optimize: true },
  maType: { type: 'enum', default: 'ema', values: ['sma', 'ema', 'wma'], optimize: true },
  sessionFilter: { type: 'bool', default: true, optimize: true },
  lots: { type: 'float', default: 0.1, min: 0.01 },
  label: { type: 'enum', default: 'a', values: ['a', 'b'] },
};

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe("cTrader optimisation params", () => {
  it('writes ranges, value lists and fixed values as cTrader expects them (strings)', () => {
    expect(toCtraderOptimisationJson(space)).toEqual({
      parameters: [
        { Name: 'fastPeriod', Optimize: true, Min: '5', Max: '50', Step: '5' },
        { Name: 'deviations', Optimize: true, Min: '1.5', Max: '3', Step: '0.25' },
        { Name: 'maType', Optimize: true, Values: ['sma', 'ema', 'wma'] },
        { Name: 'sessionFilter', Optimize: true, Values: ['True', 'False'] },
        { Name: 'lots', Optimize: false, Value: '0.1' },
        { Name: 'label', Optimize: false, Value: 'a' },
      ],
    });
  });

  it('round-trips every library spec: space -> cTrader JSON -> space', () => {
    for (const spec of strategyLibrary()) {
      const json = JSON.parse(JSON.stringify(toCtraderOptimisationJson(spec.parameters)));
      expect(fromCtraderOptimisationJson(spec.parameters, json)).toEqual(spec.parameters);
    }
    expect(fromCtraderOptimisationJson(space, toCtraderOptimisationJson(space))).toEqual(space);
  });

  it('round-trips a cTrader file: JSON -> space -> JSON', () => {
    const file = {
      parameters: [
        { Name: 'fastPeriod', Optimize: true, Min: '10', Max: '40', Step: '10' },
        { Name: 'deviations', Optimize: false, Value: '2.5' },
        { Name: 'maType', Optimize: true, Values: ['sma', 'wma'] },
        { Name: 'sessionFilter', Optimize: false, Value: 'False' },
        { Name: 'lots', Optimize: false, Value: '0.2' },
        { Name: 'label', Optimize: true, Values: ['a', 'b'] },
      ],
    };
    const applied = fromCtraderOptimisationJson(space, file);
    expect(toCtraderOptimisationJson(applied)).toEqual(file);
    expect(applied.deviations).toEqual({ ...space.deviations, default: 2.5, optimize: false });
    expect(applied.sessionFilter).toEqual({ type: 'bool', default: false, optimize: false });
  });

  it('reads enum values given as their index, as cTrader writes enums', () => {
    const applied = fromCtraderOptimisationJson(space, { parameters: [{ Name: 'maType', Optimize: true, Values: ['0', '2'] }] });
    expect(applied.maType).toMatchObject({ values: ['sma', 'wma'], default: 'sma' });
  });

  it('clamps a default pushed outside a new range', () => {
    const applied = fromCtraderOptimisationJson(space, { parameters: [{ Name: 'fastPeriod', Optimize: true, Min: '20', Max: '40', Step: '5' }] });
    expect(applied.fastPeriod).toMatchObject({ min: 20, max: 40, default: 20 });
  });

  it('keeps parameters the file does not mention', () => {
    const applied = fromCtraderOptimisationJson(space, { parameters: [] });
    expect(applied).toEqual(space);
  });

  it('refuses an unknown parameter name, naming it', () => {
    const error = refusal(() => fromCtraderOptimisationJson(space, { parameters: [{ Name: 'slowPeriod', Optimize: false, Value: '3' }] }));
    expect(error.details).toMatchObject({ field: 'slowPeriod' });
  });

  it('refuses a range that does not fit the parameter type, naming it', () => {
    const error = refusal(() => fromCtraderOptimisationJson(space, { parameters: [{ Name: 'fastPeriod', Optimize: true, Min: '5.5', Max: '9', Step: '1' }] }));
    expect(error.details).toMatchObject({ field: 'fastPeriod', expected: 'an integer' });
  });

  it('refuses a value list for a numeric parameter, since the space holds ranges only', () => {
    const error = refusal(() => fromCtraderOptimisationJson(space, { parameters: [{ Name: 'fastPeriod', Optimize: true, Values: ['5', '10'] }] }));
    expect(error.details?.field).toBe('fastPeriod');
  });

  it('refuses a document without the parameters array', () => {
    expect(refusal(() => fromCtraderOptimisationJson(space, { Parameters: [] })).details?.field).toBe('parameters');
  });

  it('works on the normalised OptimisationParams that the format reader produces', () => {
    const spec = loadLibrarySpec('sma-cross');
    const params = toOptimisationParams(spec.parameters);
    expect(params.parameters[0]).toEqual({ name: 'fastPeriod', optimize: true, min: 5, max: 50, step: 5 });
    expect(applyOptimisationParams(spec.parameters, params)).toEqual(spec.parameters);
  });
});
