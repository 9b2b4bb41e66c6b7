import { describe, expect, it } from 'vitest';
import { failure, fixtureSource, readOptions } from '../../tests/fixtures/formats/fixture-source.js';
import { byteSourceFrom } from './byte-source.js';
import { readOhlcCsv } from './ohlc-csv.js';
import type { BarColumns, BarFileReader } from './types.js';

async function bars(reader: BarFileReader): Promise<{ time: number[]; open: number[]; high: number[]; low: number[]; close: number[]; volume: number[] }> {
  const all = { time: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
  for await (const b of reader.batches()) for (const k of Object.keys(all) as (keyof typeof all)[]) all[k].push(...(b[k as keyof BarColumns] as Float64Array).subarray(0, b.length));
  return all;
}

describe('OHLC bar CSV', () => {
  it('reads the backtrader layout', async () => {
    const reader = readOhlcCsv(fixtureSource('ohlc-backtrader.csv', 10), readOptions('bt.csv'));
    const b = await bars(reader);
    expect(reader.context).toMatchObject({ layout: 'backtrader', utcOffsetMinutes: 0 });
    expect(b.time).toEqual([Date.UTC(2006, 0, 2), Date.UTC(2006, 0, 3), Date.UTC(2006, 0, 4)]);
    expect(b.close).toEqual([3604.33, 3614.34, 3652.46]);
    expect(b.volume).toEqual([0, 0, 0]);
  });

  it('reads the backtesting.py layout, whose unnamed first column is the date index', async () => {
    const reader = readOhlcCsv(fixtureSource('ohlc-backtestingpy.csv'), readOptions('bp.csv'));
    const b = await bars(reader);
    expect(reader.context.layout).toBe('backtesting.py');
    expect(b.time).toEqual([Date.UTC(2017, 3, 19, 9), Date.UTC(2017, 3, 19, 10), Date.UTC(2017, 3, 19, 11)]);
    expect(b.open[0]).toBe(1.0716);
    expect(b.volume).toEqual([1413, 1241, 1025]);
  });

  it('reads the cTrader layout with day-first stamps in the header zone, and no made-up volume', async () => {
    const reader = readOhlcCsv(fixtureSource('ohlc-ctrader.csv'), readOptions('ct.csv'));
    const b = await bars(reader);
    expect(reader.context).toMatchObject({ layout: 'ctrader', utcOffsetMinutes: 120 });
    expect(b.time).toEqual([Date.UTC(2026, 2, 2, 12, 45), Date.UTC(2026, 2, 2, 12, 50), Date.UTC(2026, 2, 2, 12, 55)]);
    expect(b.volume[0]).toBe(812);
    expect(Number.isNaN(b.volume[2])).toBe(true);
  });

  it('combines separate Date and Time columns', async () => {
    const b = await bars(readOhlcCsv(byteSourceFrom('Date,Time,Open,High,Low,Close\n2024-01-02,09:30:00,1,2,0.5,1.5\n'), readOptions('dt.csv')));
    expect(b.time).toEqual([Date.UTC(2024, 0, 2, 9, 30)]);
  });

  it('rejects impossible bars and unreadable rows, naming the line, and keeps the rest', async () => {
    const csv = 'Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-03,1,0.9,1.2,1,10\n2024-02-30,1,2,0.5,1.5,10\n2024-01-05,1,2,0.5,abc,10\n2024-01-06,1,2,0.5,1.5,10\n';
    const opts = readOptions('bad.csv');
    const b = await bars(readOhlcCsv(byteSourceFrom(csv), opts));
    expect(b.time).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 6)]);
    expect(opts.issues.kept.map((i) => [i.code, i.line, i.field])).toEqual([
      ['impossible_bar', 3, 'High/Low'],
      ['invalid_value', 4, 'Date'],
      ['invalid_value', 5, 'Close'],
    ]);
  });

  it('yields Float64Array batches of the requested size', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => `2024-01-0${i + 1},1,2,0.5,1.5`);
    const sizes: number[] = [];
    for await (const b of readOhlcCsv(byteSourceFrom(['Date,Open,High,Low,Close', ...rows].join('\n')), readOptions('b.csv', { batchSize: 2 })).batches()) {
      expect(b.time).toBeInstanceOf(Float64Array);
      sizes.push(b.length);
    }
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('refuses a header without the four prices', async () => {
    const err = await failure(() => bars(readOhlcCsv(byteSourceFrom('Date,Open,Close\n2024-01-01,1,2\n'), readOptions('x.csv'))));
    expect(err.code).toBe('missing_columns');
    expect(err.details).toMatchObject({ missing: ['High', 'Low'] });
  });
});
