import { describe, expect, it } from 'vitest';
import { TradeSchema } from '../domain/trade.js';
import { collect, failure, fixtureSource, fixtureText, readOptions } from '../../tests/fixtures/formats/fixture-source.js';
import { byteSourceFrom } from './byte-source.js';
import { readReportJson } from './report-json.js';

describe('cTrader report.json', () => {
  it('turns history items into trades, streamed in small chunks', async () => {
    const opts = readOptions('report.json');
    const reader = readReportJson(fixtureSource('report.json', 37), opts);
    const trades = await collect(reader.batches());
    expect(opts.issues.total).toBe(0);
    expect(trades.map((t) => [t.sourceId, t.direction, t.net])).toEqual([
      ['101', 'buy', 22.5],
      ['102', 'sell', -63.75],
      ['103', 'buy', 71.8],
    ]);
    for (const t of trades) expect(TradeSchema.safeParse(t).success).toBe(true);
    expect(trades[0]).toMatchObject({
      symbol: 'US30',
      quantity: 0.6,
      volume: 0.6,
      entryTime: 1772459100000,
      exitTime: 1772460630250,
      entryPrice: 43210.5,
      exitPrice: 43250.5,
      commission: -1.5,
      swap: 0,
      gross: 24,
      pips: 40,
      label: 'ORB',
      line: 1,
    });
    // An item without a symbol takes main.symbol; keys the reader does not know stay in metadata.
    expect(trades[2]).toMatchObject({ symbol: 'US30', metadata: { closeComment: 'session end' } });
  });

  it('fills the context from main, parameters, tradeStatistics and equity', async () => {
    const reader = readReportJson(fixtureSource('report.json'), readOptions('report.json'));
    await collect(reader.batches());
    expect(reader.context).toMatchObject({
      format: 'ctrader-report-json',
      accountCurrency: 'EUR',
      depositDigits: 2,
      startingBalance: 10000,
      symbol: 'US30',
      timeframe: 'm5',
      botName: 'ORB',
      period: { start: 1772409600000, end: 1772582400000 },
      parameters: { RangeStartTimeUtcStr: '02:00:00', EnableKillSwitch: true, RangeTimeZoneParam: 3 },
      declaredTotals: {
        netProfit: 30.55,
        commissions: -6,
        swaps: -0.75,
        totalTrades: 3,
        winningTrades: 2,
        losingTrades: 1,
        largestWinningTrade: 71.8,
        largestLosingTrade: -63.75,
        maxBalanceDrawdownAbsolute: 63.75,
        maxBalanceDrawdownPercent: 0.64,
        endingBalance: 10030.55,
      },
    });
    const extra = reader.context.extra ?? {};
    expect(extra.exportedBy).toBe('hand-written fixture');
    expect(extra.equity).toMatchObject({ pointCount: 3, maxEquityDrawdownAbsolute: 82.5 });
    expect(extra.equity).not.toHaveProperty('points');
    expect(extra.main).toMatchObject({ brokerTitle: 'Demo Broker', accountType: 'hedging' });
    expect(reader.context.columns).toContain('closeTime');
  });

  it('reads statistics written as {all: {...}} too', async () => {
    const json = JSON.stringify({ tradeStatistics: { all: { netProfit: 5, totalTrades: 1 }, long: {}, short: {} }, history: { items: [] } });
    const reader = readReportJson(byteSourceFrom(json), readOptions('r.json'));
    await collect(reader.batches());
    expect(reader.context.declaredTotals).toEqual({ netProfit: 5, totalTrades: 1 });
  });

  it('rejects items it cannot read, naming the item, and keeps the others', async () => {
    const json = JSON.stringify({
      main: { symbol: 'US30' },
      history: { items: [{ id: 1, closeTime: 1772460630250, direction: 'up', net: 1 }, { id: 2, closeTime: 1772460630250, direction: 'sell', net: 2 }] },
    });
    const opts = readOptions('r.json');
    const trades = await collect(readReportJson(byteSourceFrom(json), opts).batches());
    expect(trades.map((t) => t.sourceId)).toEqual(['2']);
    expect(opts.issues.kept[0]).toMatchObject({ severity: 'reject', row: 1, field: 'history.items[0].direction', found: '"up"', tradeId: '1' });
  });

  it('refuses a truncated report with the line and column where it stops', async () => {
    const text = fixtureText('report.json');
    const cut = text.slice(0, text.indexOf('"id": 102'));
    const err = await failure(() => collect(readReportJson(byteSourceFrom(cut, 100), readOptions('report.json')).batches()));
    expect(err.code).toBe('truncated_json');
    expect(err.details).toMatchObject({ file: 'report.json', line: cut.split('\n').length });
  });

  it('refuses invalid JSON with the line and column of the fault', async () => {
    const text = fixtureText('report.json').replace('"roi": 0.31,', '"roi": 0.31,,');
    const err = await failure(() => collect(readReportJson(byteSourceFrom(text, 64), readOptions('report.json')).batches()));
    expect(err.code).toBe('invalid_json');
    expect(err.details).toMatchObject({ line: 5, column: 17 });
  });
});
