import { describe, expect, it } from 'vitest';
import { AppError } from '../../runtime/errors.js';
import { testSpec } from '../../../tests/support/backtest-kit.js';
import { compileStrategy } from './compile.js';

function compileError(overrides: Record<string, unknown>, params: Record<string, unknown> = {}): AppError {
  try {
    compileStrategy(testSpec(overrides), params);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('compileStrategy', () => {
  it('resolves parameter references, pips and lots into plain numbers', () => {
    const strategy = compileStrategy(
      testSpec({
        parameters: { period: { type: 'int', default: 14 }, stop: { type: 'float', default: 25 }, lots: { type: 'float', default: 0.1 } },
        indicators: [{ id: 'ma', type: 'ema', params: { period: { param: 'period' } } }],
        rules: { long: { entry: { op: 'crossAbove', left: 'close', right: 'ma' } } },
        risk: { stopLoss: { type: 'pips', pips: { param: 'stop' } }, sizing: { type: 'fixedLots', lots: { param: 'lots' } } },
        instrument: { pipSize: 0.0001, lotSize: 100_000 },
        costs: { spreadPips: 1.5 },
      }),
      { period: 21 },
    );
    expect(strategy.indicators[0]).toMatchObject({ type: 'ema', params: { period: 21 }, source: 'close', warmup: 20 });
    expect(strategy.stopLoss).toEqual({ kind: 'price', distance: 25 * 0.0001 });
    expect(strategy.sizing).toEqual({ kind: 'fixedUnits', units: 10_000 });
    expect(strategy.costs.spread).toBeCloseTo(0.00015, 15);
    expect(strategy.long!.entry).toMatchObject({ kind: 'cross', rule: 'lastNonZero' });
    expect(strategy.parameters).toEqual({ period: 21, stop: 25, lots: 0.1 });
  });

  it('resolves an indicator type and source chosen by enum parameters', () => {
    const spec = testSpec({
      parameters: {
        maType: { type: 'enum', default: 'sma', values: ['sma', 'ema', 'wma'] },
        price: { type: 'enum', default: 'close', values: ['close', 'typical'] },
      },
      indicators: [{ id: 'ma', type: { param: 'maType' }, source: { param: 'price' }, params: { period: 10 } }],
      rules: { long: { entry: { op: '>', left: 'close', right: 'ma' } } },
    });
    expect(compileStrategy(spec, { maType: 'wma', price: 'typical' }).indicators[0]).toMatchObject({ type: 'wma', source: 'typical' });
  });

  it('names the JSON path where a parameter value does not fit its use', () => {
    const error = compileError(
      {
        parameters: { period: { type: 'int', default: 14 } },
        indicators: [{ id: 'x', type: 'sma', params: { period: 5 } }, { id: 'ma', type: 'sma', params: { period: { param: 'period' } } }],
        rules: { long: { entry: { op: '>', left: 'close', right: 'ma' } } },
      },
      { period: 0 },
    );
    expect(error.details).toMatchObject({ field: 'indicators[1].params.period', found: '0' });
    expect(error.message).toContain('sma.period must be an integer >= 1');
  });

  it('refuses a stop distance that is not positive, saying which parameter gave it', () => {
    const error = compileError(
      { parameters: { stop: { type: 'float', default: 10 } }, risk: { stopLoss: { type: 'pips', pips: { param: 'stop' } }, sizing: { type: 'fixedUnits', units: 1 } } },
      { stop: -5 },
    );
    expect(error.details).toMatchObject({ field: 'risk.stopLoss.pips' });
    expect(error.message).toContain('parameter stop');
  });

  it('refuses parameter values outside their definition, naming the parameter', () => {
    const error = compileError({ parameters: { period: { type: 'int', default: 14, min: 2, max: 50 } } }, { period: 51 });
    expect(error.details).toMatchObject({ field: 'period', expected: 'an integer between 2 and 50', found: '51' });
  });
});
