import { describe, expect, it } from 'vitest';
import { failure, fixtureSource } from '../../tests/fixtures/formats/fixture-source.js';
import { byteSourceFrom } from './byte-source.js';
import { readCbotset } from './cbotset.js';

describe('.cbotset', () => {
  it('reads chart and parameters, keeping int enums, booleans and strings exactly as written', async () => {
    const set = await readCbotset(fixtureSource('params.cbotset', 11), { file: 'params.cbotset' });
    expect(set).toEqual({
      symbol: 'NAS100.cash',
      timeframe: 'm1',
      parameters: {
        RangeStartTimeUtcStr: '02:00:00',
        EnableKillSwitch: true,
        MaxOrbRangePips: 2000,
        OrbBarsTimeFrame: 'm1',
        RangeTimeZoneParam: 3,
        RiskPercent: '1.5',
      },
    });
  });

  it('keeps unknown keys in extra', async () => {
    const set = await readCbotset(byteSourceFrom('{"Chart":{"Symbol":"EURUSD","Period":"h1","Theme":"dark"},"Parameters":{},"Version":2}'), { file: 'x.cbotset' });
    expect(set.extra).toEqual({ Version: 2, 'Chart.Theme': 'dark' });
  });

  it('names the parameter whose value cTrader cannot hold', async () => {
    const err = await failure(() => readCbotset(byteSourceFrom('{"Parameters": {\n  "Ok": 1,\n  "Bad": {"nested": true}\n}}'), { file: 'x.cbotset' }));
    expect(err.code).toBe('invalid_value');
    expect(err.details).toMatchObject({ file: 'x.cbotset', line: 3, field: 'Parameters.Bad' });
  });

  it('refuses a file without Parameters, and a truncated one', async () => {
    expect((await failure(() => readCbotset(byteSourceFrom('{"Chart": {}}'), { file: 'x.cbotset' }))).details).toMatchObject({ field: 'Parameters' });
    expect((await failure(() => readCbotset(byteSourceFrom('{"Parameters": {"A": 1'), { file: 'x.cbotset' }))).code).toBe('truncated_json');
  });
});
