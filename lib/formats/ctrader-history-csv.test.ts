import { describe, expect, it } from 'vitest';
import { TradeSchema } from '../domain/trade.js';
import { collect, failure, fixtureSource, readOptions } from '../../tests/fixtures/formats/fixture-source.js';
import { byteSourceFrom } from './byte-source.js';
import { readHistoryCsv } from './ctrader-history-csv.js';

const HISTORY_HEADER =
  'Label,Entry time (UTC+1),Symbol,Quantity,Volume,Type,Entry price,Broker commission,Swaps,Closing price,Closing time (UTC+1),Net $,Pips,Gross $,Balance $,ID';

describe('cTrader History tab CSV', () => {
  it('reads every row into canonical trades with times converted from UTC+1', async () => {
    const opts = readOptions('history.csv');
    const reader = readHistoryCsv(fixtureSource('history-tab.csv', 13), opts);
    const trades = await collect(reader.batches());
    expect(trades).toHaveLength(3);
    expect(opts.issues.total).toBe(0);
    const [first] = trades;
    expect(first).toMatchObject({
      sourceId: '101',
      symbol: 'US30',
      direction: 'buy',
      quantity: 0.6,
      volume: null,
      entryTime: Date.UTC(2026, 2, 2, 13, 45),
      exitTime: Date.UTC(2026, 2, 2, 14, 10, 30, 250),
      entryPrice: 43210.5,
      exitPrice: 43250.5,
      commission: -1.5,
      swap: 0,
      net: 22.5,
      gross: 24,
      pips: 40,
      balanceAfter: 10022.5,
      label: 'ORB',
      closeReason: 'unknown',
      stops: null,
      file: 'history.csv',
      line: 2,
    });
    // "Indices" is a unit with no number: kept as written, not turned into a volume.
    expect(first?.metadata).toEqual({ Volume: 'Indices' });
    for (const t of trades) expect(TradeSchema.safeParse(t).success).toBe(true);
    expect(reader.context).toMatchObject({ format: 'ctrader-history-csv', accountCurrency: 'USD', utcOffsetMinutes: 60, symbol: 'US30' });
    expect(reader.context.columns).toHaveLength(16);
  });

  it('maps columns by name, whatever their order', async () => {
    const csv = 'ID,Net $,Closing time (UTC+0),Symbol,Type\n7,-12.5,05/01/2026 10:00:00.000,EURUSD,Sell\n';
    const [trade] = await collect(readHistoryCsv(byteSourceFrom(csv), readOptions('h.csv')).batches());
    expect(trade).toMatchObject({ sourceId: '7', net: -12.5, direction: 'sell', symbol: 'EURUSD', exitTime: Date.UTC(2026, 0, 5, 10), entryTime: null, gross: null, commission: null });
  });

  it('rejects a CSV whose header lacks Closing time, listing what is missing and what was found', async () => {
    const err = await failure(() => collect(readHistoryCsv(byteSourceFrom('Symbol,Type,Net $\nUS30,Buy,1\n'), readOptions('h.csv')).batches()));
    expect(err.code).toBe('missing_columns');
    expect(err.message).toContain('Closing time');
    expect(err.details).toMatchObject({ file: 'h.csv', line: 1, missing: ['Closing time'], columns: ['Symbol', 'Type', 'Net $'] });
  });

  it('needs no Symbol column when a symbol is given', async () => {
    const csv = 'Closing time (UTC+0),Type,Net €\n05/01/2026 10:00,Buy,3\n';
    const reader = readHistoryCsv(byteSourceFrom(csv), readOptions('h.csv', { symbol: 'US30' }));
    expect((await collect(reader.batches()))[0]?.symbol).toBe('US30');
    expect(reader.context.accountCurrency).toBe('EUR');
  });

  it('rejects rows with bad values, naming line, row, field and what was expected, and reads the rest', async () => {
    const csv = [
      HISTORY_HEADER,
      'a,02/03/2026 14:45:00.000,US30,0.6 Lots,Indices,Buy,1,0,0,2,31/02/2026 15:10:30.250,1,1,1,1,1',
      'b,02/03/2026 14:45:00.000,US30,0.6 Lots,Indices,Hold,1,0,0,2,02/03/2026 15:10:30.250,1,1,1,1,2',
      'c,02/03/2026 14:45:00.000,US30,0.6 Lots,Indices,Buy,1,0,0,2,02/03/2026 15:10:30.250,lots,1,1,1,3',
      'd,02/03/2026 14:45:00.000,US30,0.6 Lots,Indices,Buy,1,0,0,2,02/03/2026 15:10:30.250,5,1,1',
      'e,02/03/2026 14:45:00.000,US30,0.6 Lots,Indices,Sell,1,0,0,2,02/03/2026 15:10:30.250,5,n/a,1,1,5',
    ].join('\n');
    const opts = readOptions('bad.csv');
    const trades = await collect(readHistoryCsv(byteSourceFrom(csv), opts).batches());
    expect(trades.map((t) => t.sourceId)).toEqual(['5']);
    expect(opts.issues.rejects).toBe(4);
    expect(opts.issues.kept[0]).toMatchObject({ severity: 'reject', file: 'bad.csv', line: 2, row: 1, field: 'Closing time (UTC+1)', found: '31/02/2026 15:10:30.250' });
    expect(opts.issues.kept[1]).toMatchObject({ line: 3, field: 'Type', expected: 'Buy or Sell', found: 'Hold' });
    expect(opts.issues.kept[2]).toMatchObject({ line: 4, field: 'Net $', found: 'lots' });
    expect(opts.issues.kept[3]).toMatchObject({ line: 5, code: 'wrong_field_count' });
    // An unreadable optional value keeps the row: null in the trade, the text in metadata, a warning.
    expect(opts.issues.kept[4]).toMatchObject({ severity: 'warning', line: 6, field: 'Pips' });
    expect(trades[0]?.pips).toBeNull();
    expect(trades[0]?.metadata.Pips).toBe('n/a');
  });

  it('warns once when the time columns name no zone, and reads the times as UTC', async () => {
    const opts = readOptions('h.csv');
    const csv = 'Symbol,Type,Closing time,Net\nUS30,Buy,05/01/2026 10:00,1\nUS30,Sell,05/01/2026 11:00,2\n';
    const trades = await collect(readHistoryCsv(byteSourceFrom(csv), opts).batches());
    expect(trades[0]?.exitTime).toBe(Date.UTC(2026, 0, 5, 10));
    expect(opts.issues.kept.map((i) => i.code)).toEqual(['zone_assumed_utc']);
  });

  it('yields batches of the requested size', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `US30,Buy,05/01/2026 10:${String(i).padStart(2, '0')},1`);
    const reader = readHistoryCsv(byteSourceFrom(['Symbol,Type,Closing time (UTC+0),Net', ...rows].join('\n')), readOptions('h.csv', { batchSize: 10 }));
    const sizes: number[] = [];
    for await (const batch of reader.batches()) sizes.push(batch.length);
    expect(sizes).toEqual([10, 10, 5]);
  });
});

describe('cTrader Account History CSV', () => {
  it('reads quoted cells, nbsp thousands, unit text, € from the header, and each column in its own zone', async () => {
    const opts = readOptions('account.csv');
    const reader = readHistoryCsv(fixtureSource('account-history.csv', 17), opts);
    const trades = await collect(reader.batches());
    expect(opts.issues.total).toBe(0);
    expect(reader.context).toMatchObject({ format: 'ctrader-account-history-csv', accountCurrency: 'EUR', utcOffsetMinutes: 0 });
    expect(reader.context.symbol).toBeUndefined();
    expect(trades.map((t) => t.sourceId)).toEqual(['5001', '5002', '5003']);
    expect(trades[0]).toMatchObject({
      symbol: 'BTCUSD',
      direction: 'buy',
      entryTime: Date.UTC(2026, 2, 2, 14, 10),
      exitTime: Date.UTC(2026, 2, 2, 14, 47, 44, 584),
      quantity: 0.09,
      net: 104.73,
      balanceAfter: 10104.73,
      commission: -0.5,
      swap: 0,
      metadata: { Comment: 'breakout' },
    });
    // "10000 Units" is a volume, not lots.
    expect(trades[1]).toMatchObject({ quantity: null, volume: 10000, swap: -0.12, metadata: { Comment: 'multi-line\ncomment' } });
    // The comment spanning two lines pushes the next row down.
    expect(trades.map((t) => t.line)).toEqual([2, 3, 5]);
    expect(trades[2]).toMatchObject({ exitTime: Date.UTC(2026, 2, 3, 8, 15), net: -55.35 });
  });

  it('reads the same export saved as UTF-16LE with a BOM', async () => {
    const trades = await collect(readHistoryCsv(fixtureSource('account-history-utf16le.csv', 9), readOptions('account16.csv')).batches());
    expect(trades.map((t) => [t.sourceId, t.net, t.line])).toEqual([
      ['5001', 104.73, 2],
      ['5002', 8.37, 3],
      ['5003', -55.35, 5],
    ]);
  });

  it('reads a semicolon-separated export with decimal commas', async () => {
    const csv = '"Symbol";"Opening direction";"Closing time (UTC+0)";"Net €";"Balance €"\n"DE40";"Sell";"05/01/2026 10:00:00.000";"-12,5";"10\u00a0104,73"\n';
    const [trade] = await collect(readHistoryCsv(byteSourceFrom(csv), readOptions('a.csv')).batches());
    expect(trade).toMatchObject({ symbol: 'DE40', net: -12.5, balanceAfter: 10104.73 });
  });

  it('keeps columns it does not know under their original names', async () => {
    const csv = '"Symbol","Opening direction","Closing time (UTC+0)","Net €","Magic number","Strategy"\n"US30","Sell","05/01/2026 10:00","-4.2","42","orb"\n';
    const [trade] = await collect(readHistoryCsv(byteSourceFrom(csv), readOptions('a.csv')).batches());
    expect(trade?.metadata).toEqual({ 'Magic number': '42', Strategy: 'orb' });
    expect(trade?.sourceId).toBe('1');
  });
});

describe('cTrader History CSV: rows that cannot be trusted', () => {
  it('rejects a row whose entry time is an impossible date, naming its line and column', async () => {
    const csv = `${HISTORY_HEADER}\nORB,31/02/2026 14:45:00.000,US30,0.6 Lots,Indices,Buy,43210.5,-1.5,0,43250.5,02/03/2026 15:10:30.250,22.5,40,24,10022.5,101\n`;
    const opts = readOptions('bad.csv');
    const trades = await collect(readHistoryCsv(byteSourceFrom(csv), opts).batches());
    expect(trades).toHaveLength(0);
    expect(opts.issues.kept[0]).toMatchObject({ severity: 'reject', file: 'bad.csv', line: 2, field: 'Entry time (UTC+1)', found: '31/02/2026 14:45:00.000' });
  });

  it('reads a cTrader-looking file that lost its closing time far enough to name the missing column', async () => {
    const csv = 'Symbol,Type,Entry time (UTC+1),Entry price,Net $\nUS30,Buy,02/03/2026 14:47:44.584,43210.5,10.00\n';
    const error = await failure(() => collect(readHistoryCsv(byteSourceFrom(csv), readOptions('lost.csv')).batches()));
    expect(error).toMatchObject({ code: 'missing_columns', details: { file: 'lost.csv' } });
    expect(error.message).toMatch(/Closing time/);
  });
});
