import { describe, expect, it } from 'vitest';
import { failure, fixtureSource } from '../../tests/fixtures/formats/fixture-source.js';
import { byteSourceFrom } from './byte-source.js';
import { readOptimisationParams } from './optimisation-params.js';

const read = (json: string) => readOptimisationParams(byteSourceFrom(json), { file: 'params.json' });

describe('optimisation parameters', () => {
  it('reads ranges as numbers, value lists and fixed values as written', async () => {
    const params = await readOptimisationParams(fixtureSource('optimisation-params.json', 13), { file: 'params.json' });
    expect(params.parameters).toEqual([
      { name: 'SlowPeriods', optimize: true, min: 5, max: 50, step: 5 },
      { name: 'StopLossPips', optimize: true, min: 0.5, max: 2.5, step: 0.5 },
      { name: 'MAType', optimize: true, values: ['0', '1', '2'] },
      { name: 'Label', optimize: false, value: 'ORB' },
    ]);
    expect(params.method).toBe('genetic');
    expect(params.criteria).toEqual([{ Name: 'NetProfit', Direction: 'Maximize' }]);
  });

  it('refuses a range whose Min is above its Max, naming the parameter and its line', async () => {
    const err = await failure(() => read('{"parameters": [\n {"Name": "Fast", "Optimize": true, "Min": "5", "Max": "9", "Step": "1"},\n {"Name": "Slow", "Optimize": true, "Min": "50", "Max": "5", "Step": "5"}\n]}'));
    expect(err.code).toBe('invalid_value');
    expect(err.message).toContain('"Slow"');
    expect(err.details).toMatchObject({ line: 3, field: 'parameters[1].Min', parameter: 'Slow' });
  });

  it('refuses a step that is not above zero', async () => {
    const err = await failure(() => read('{"parameters": [{"Name": "Slow", "Optimize": true, "Min": "5", "Max": "50", "Step": "0"}]}'));
    expect(err.details).toMatchObject({ field: 'parameters[0].Step', parameter: 'Slow', expected: 'greater than 0' });
  });

  it('refuses a range bound that is not a number', async () => {
    const err = await failure(() => read('{"parameters": [{"Name": "Slow", "Optimize": true, "Min": "five", "Max": "50", "Step": "5"}]}'));
    expect(err.details).toMatchObject({ field: 'parameters[0].Min', found: '"five"' });
  });

  it('refuses a file without a parameters list', async () => {
    expect((await failure(() => read('{"Parameters": {"A": 1}}'))).code).toBe('invalid_input');
  });
});
