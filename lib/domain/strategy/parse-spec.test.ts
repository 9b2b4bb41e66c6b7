import { describe, expect, it } from 'vitest';
import { AppError } from '../../runtime/errors.js';
import { parseStrategySpec } from './parse-spec.js';

const valid = () => ({
  name: 'cross',
  parameters: {
    fastPeriod: { type: 'int', default: 10, min: 2, max: 50, step: 2, optimize: true },
    slowPeriod: { type: 'int', default: 30, min: 10, max: 200, step: 10, optimize: true },
  },
  indicators: [
    { id: 'fast', type: 'sma', source: 'close', params: { period: { param: 'fastPeriod' } } },
    { id: 'slow', type: 'sma', params: { period: { param: 'slowPeriod' } } },
    { id: 'bands', type: 'bollinger', params: { period: 20, deviations: 2 } },
    { id: 'atr', type: 'atr', params: { period: 14 } },
  ],
  rules: {
    long: { entry: { op: 'crossAbove', left: 'fast', right: 'slow' }, exit: { op: '<', left: 'close', right: 'bands.lower' } },
  },
  risk: { stopLoss: { type: 'atr', indicator: 'atr', multiple: 2 }, sizing: { type: 'fixedLots', lots: 0.1 } },
  instrument: { pipSize: 0.0001, lotSize: 100000 },
});

type Spec = ReturnType<typeof valid> & Record<string, unknown>;

function rejection(edit: (spec: Spec) => void): AppError {
  const spec = valid() as Spec;
  edit(spec);
  try {
    parseStrategySpec(spec);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the spec to be rejected');
}

describe('parseStrategySpec', () => {
  it('accepts a valid spec and fills defaults', () => {
    const spec = parseStrategySpec(valid());
    expect(spec.positions).toEqual({ mode: 'single' });
    expect(spec.fills).toEqual({ market: 'nextOpen' });
    expect(spec.costs).toEqual({});
    expect(spec.instrument).toMatchObject({ contractMultiplier: 1, volumeStep: 1 });
  });

  it('names the JSON path of a wrongly typed indicator parameter', () => {
    const error = rejection((s) => ((s.indicators[1]!.params as Record<string, unknown>).period = 'thirty'));
    expect(error.code).toBe('invalid_input');
    expect(error.details?.field).toBe('indicators[1].params.period');
  });

  it('lists the allowed indicators for an unknown one', () => {
    const error = rejection((s) => (s.indicators[0]!.type = 'hull'));
    expect(error.details).toMatchObject({ field: 'indicators[0].type', found: 'hull' });
    expect(error.details?.expected).toContain('sma, ema, wma, rsi, macd');
  });

  it('names an unknown parameter reference and where it is used', () => {
    const error = rejection((s) => (s.indicators[1]!.params = { period: { param: 'slowLength' } }));
    expect(error.details).toMatchObject({ field: 'indicators[1].params.period', found: 'slowLength', expected: 'fastPeriod, slowPeriod' });
    expect(error.message).toContain('unknown parameter "slowLength"');
  });

  it('names a parameter name the indicator does not take', () => {
    const error = rejection((s) => (s.indicators[2]!.params = { period: 20, stdDev: 2 } as never));
    expect(error.details).toMatchObject({ field: 'indicators[2].params.stdDev', expected: 'period, deviations' });
  });

  it('refuses a series that is neither a price nor a declared indicator, listing what exists', () => {
    const error = rejection((s) => (s.rules.long.entry.right = 'slowest'));
    expect(error.details?.field).toBe('rules.long.entry.right');
    expect(error.details?.expected).toContain('bands.upper');
  });

  it('asks which output of a multi-output indicator is meant', () => {
    const error = rejection((s) => (s.rules.long.exit.right = 'bands'));
    expect(error.details).toMatchObject({ field: 'rules.long.exit.right', expected: 'bands.upper, bands.middle, bands.lower' });
  });

  it('refuses an output the indicator does not have', () => {
    const error = rejection((s) => (s.rules.long.exit.right = 'bands.signal'));
    expect(error.message).toContain('no output "signal"');
  });

  it('lists the condition operators for an unknown one', () => {
    const error = rejection((s) => ((s.rules.long.entry as Record<string, unknown>).op = 'crosses'));
    expect(error.details?.field).toBe('rules.long.entry.op');
    expect(error.details?.expected).toContain('crossAbove');
  });

  it('refuses a parameter of the wrong type where a number is expected', () => {
    const error = rejection((s) => {
      (s.parameters as Record<string, unknown>).useFilter = { type: 'bool', default: true };
      s.rules.long.exit.right = { param: 'useFilter' } as never;
    });
    expect(error.details?.field).toBe('rules.long.exit.right');
    expect(error.message).toContain('a number is expected here');
  });

  it('requires an int parameter for a whole-number indicator parameter', () => {
    const error = rejection((s) => ((s.parameters as Record<string, unknown>).slowPeriod = { type: 'float', default: 30 }));
    expect(error.details?.field).toBe('indicators[1].params.period');
  });

  it('requires ATR distances to name an atr indicator', () => {
    const error = rejection((s) => (s.risk.stopLoss.indicator = 'slow'));
    expect(error.details).toMatchObject({ field: 'risk.stopLoss.indicator', expected: 'atr' });
  });

  it('requires a stop for percent-of-equity risk sizing', () => {
    const error = rejection((s) => {
      s.risk = { sizing: { type: 'riskPercent', percent: 1 } } as never;
    });
    expect(error.details?.field).toBe('risk.sizing');
  });

  it('refuses a parameter default outside its range', () => {
    const error = rejection((s) => (s.parameters.fastPeriod.default = 60));
    expect(error.details).toMatchObject({ field: 'parameters.fastPeriod.default', expected: '<= 50' });
  });

  it('refuses an optimised numeric parameter without a step', () => {
    const error = rejection((s) => delete (s.parameters.slowPeriod as Partial<typeof s.parameters.slowPeriod>).step);
    expect(error.details?.field).toBe('parameters.slowPeriod.step');
  });

  it('refuses an enum default that is not among its values', () => {
    const error = rejection((s) => ((s.parameters as Record<string, unknown>).mode = { type: 'enum', default: 'fast', values: ['slow', 'medium'] }));
    expect(error.details).toMatchObject({ field: 'parameters.mode.default', expected: 'slow, medium' });
  });

  it('refuses duplicate indicator ids and ids that shadow prices', () => {
    expect(rejection((s) => (s.indicators[1]!.id = 'fast')).details?.field).toBe('indicators[1].id');
    expect(rejection((s) => (s.indicators[1]!.id = 'close')).details?.field).toBe('indicators[1].id');
  });

  it('refuses a source on an indicator that reads whole bars', () => {
    const error = rejection((s) => ((s.indicators[3] as Record<string, unknown>).source = 'close'));
    expect(error.details?.field).toBe('indicators[3].source');
  });

  it('refuses an hour window that starts and ends at the same time', () => {
    const error = rejection((s) => (s.rules.long.exit = { op: 'hours', from: '08:00', to: '08:00' } as never));
    expect(error.details?.field).toBe('rules.long.exit.to');
  });

  it('refuses a malformed time and an unknown session', () => {
    expect(rejection((s) => (s.rules.long.exit = { op: 'hours', from: '8am', to: '10:00' } as never)).details?.field).toBe('rules.long.exit.from');
    expect(rejection((s) => (s.rules.long.exit = { op: 'session', sessions: ['sydney'] } as never)).details?.field).toBe('rules.long.exit.sessions[0]');
  });

  it('refuses unknown keys instead of ignoring a typo', () => {
    const error = rejection((s) => ((s.risk as Record<string, unknown>).stopLos = { type: 'pips', pips: 10 }));
    expect(error.details?.field).toBe('risk');
    expect(error.message).toContain('stopLos');
  });

  it('needs rules for at least one side', () => {
    expect(rejection((s) => (s.rules = {} as never)).details?.field).toBe('rules');
  });
});
