import { describe, expect, it } from 'vitest';
import { TradeSchema } from '../domain/trade.js';
import { collect, failure, fixtureSource, readOptions } from '../../tests/fixtures/formats/fixture-source.js';
import { byteSourceFrom } from './byte-source.js';
import { readEventsJson, stopHistoryOf } from './events-json.js';

describe('cTrader events.json', () => {
  it('rebuilds interleaved positions into trades in closing order', async () => {
    const opts = readOptions('events.json', { symbol: 'US500' });
    const reader = readEventsJson(fixtureSource('events-excerpt.json', 50), opts);
    const trades = await collect(reader.batches());
    expect(trades.map((t) => [t.sourceId, t.direction, t.closeReason])).toEqual([
      ['1', 'buy', 'stop_loss'],
      ['2', 'sell', 'take_profit'],
      ['3', 'buy', 'signal'],
    ]);
    for (const t of trades) expect(TradeSchema.safeParse(t).success).toBe(true);
    expect(trades[0]).toMatchObject({
      symbol: 'US500',
      quantity: 0.6,
      volume: null,
      entryTime: 1762761600000,
      exitTime: 1762761840000,
      entryPrice: 6781.4,
      exitPrice: 6790.3,
      gross: 5.34,
      net: 5.34,
      commission: null,
      swap: null,
      pips: 8.9,
      balanceAfter: 1005.34,
      line: 6,
    });
  });

  it('keeps the stop-loss and take-profit history of each position, starting with stops set at entry', async () => {
    const trades = await collect(readEventsJson(fixtureSource('events-excerpt.json'), readOptions('events.json', { symbol: 'US500' })).batches());
    expect(trades[0]?.stops).toEqual([
      { time: 1762761660000, stopLoss: 6775, takeProfit: null },
      { time: 1762761720000, stopLoss: 6783.1, takeProfit: null },
    ]);
    expect(trades[1]?.stops).toEqual([
      { time: 1762761700000, stopLoss: 6800, takeProfit: null },
      { time: 1762761780000, stopLoss: 6800, takeProfit: 6780 },
    ]);
    expect(trades[2]?.stops).toEqual([]);
    expect([...stopHistoryOf(trades).keys()]).toEqual(['1', '2']);
  });

  it('takes net from the balance change, rounded to deposit digits, and keeps what grossProfit does not explain', async () => {
    const reader = readEventsJson(fixtureSource('events-excerpt.json'), readOptions('events.json', { symbol: 'US500' }));
    const trades = await collect(reader.batches());
    // Balance 1005.34 → 1017.0699999999999: net 11.73 while grossProfit says 11.83.
    expect(trades[1]).toMatchObject({ net: 11.73, gross: 11.83, balanceAfter: 1017.07 });
    expect(trades[1]?.metadata.unattributed).toBe(-0.1);
    expect(trades[2]).toMatchObject({ net: -2, gross: -2 });
    expect(trades[2]?.metadata).toMatchObject({ event: 'Position closed', unattributed: 0, botNote: 'session end' });
    expect(reader.context).toMatchObject({ format: 'ctrader-events-json', symbol: 'US500', startingBalance: 1000, depositDigits: 2, declaredTotals: { endingBalance: 1015.07 } });
  });

  it('warns about unknown events and positions never closed, naming the position', async () => {
    const opts = readOptions('events.json', { symbol: 'US500' });
    const trades = await collect(readEventsJson(fixtureSource('events-excerpt.json'), opts).batches());
    expect(opts.issues.rejects).toBe(0);
    const unknown = opts.issues.kept.find((i) => i.code === 'unknown_event');
    expect(unknown).toMatchObject({ severity: 'warning', file: 'events.json', row: 9, line: 10, tradeId: '3', found: 'Position Swapped' });
    expect(trades[2]?.metadata.otherEvents).toEqual([expect.objectContaining({ event: 'Position Swapped' })]);
    const unclosed = opts.issues.kept.find((i) => i.code === 'position_not_closed');
    expect(unclosed).toMatchObject({ severity: 'warning', tradeId: '4', row: 10, line: 11 });
    expect(unclosed?.message).toContain('position 4');
  });

  it('asks for a symbol when none is given', async () => {
    const err = await failure(() => collect(readEventsJson(fixtureSource('events-excerpt.json'), readOptions('events.json')).batches()));
    expect(err.code).toBe('invalid_input');
    expect(err.details?.field).toBe('symbol');
    expect(err.message).toContain('pass --symbol or include the backtest');
  });

  it('rejects events it cannot place and goes on with the rest', async () => {
    const json = JSON.stringify([
      { positionId: 1, event: 'Create Position', time: 1000, type: 'Buy', equity: 100, quantity: 1, entryPrice: 10 },
      { positionId: 1, event: 'Stop Loss Hit', time: 'soon', type: 'Buy', balance: 101 },
      'not an event',
      { positionId: 1, event: 'Stop Loss Hit', time: 3000, type: 'Buy', closePrice: 11, grossProfit: 1, balance: 101 },
    ]);
    const opts = readOptions('e.json', { symbol: 'X' });
    const trades = await collect(readEventsJson(byteSourceFrom(json), opts).batches());
    expect(trades).toHaveLength(1);
    expect(opts.issues.kept.filter((i) => i.severity === 'reject').map((i) => [i.row, i.field])).toEqual([
      [2, '[1].time'],
      [3, '[2]'],
    ]);
  });

  it('takes net from grossProfit when a close carries no balance, without charging it to the next close', async () => {
    const json = JSON.stringify([
      { positionId: 1, event: 'Create Position', time: 1000, type: 'Buy', equity: 100 },
      { positionId: 2, event: 'Create Position', time: 1100, type: 'Sell', equity: 100 },
      { positionId: 1, event: 'Take Profit Hit', time: 2000, type: 'Buy', grossProfit: 10, balance: null },
      { positionId: 2, event: 'Stop Loss Hit', time: 3000, type: 'Sell', grossProfit: 5, balance: 115 },
    ]);
    const opts = readOptions('e.json', { symbol: 'X' });
    const trades = await collect(readEventsJson(byteSourceFrom(json), opts).batches());
    expect(trades.map((t) => [t.net, t.balanceAfter, t.metadata.netSource])).toEqual([
      [10, null, 'grossProfit'],
      [5, 115, undefined],
    ]);
    expect(opts.issues.kept.map((i) => i.code)).toEqual(['net_from_gross']);
  });

  it('refuses a truncated events file', async () => {
    const err = await failure(() => collect(readEventsJson(byteSourceFrom('[{"positionId":1,"event":"Create Position"'), readOptions('e.json', { symbol: 'X' })).batches()));
    expect(err.code).toBe('truncated_json');
  });
});
