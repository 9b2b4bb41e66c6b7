import { describe, expect, it } from 'vitest';
import { buildChunks } from '../domain/chunks/index.js';
import { tradesToColumns } from '../domain/trade-columns.js';
import type { SourcedTrade } from '../domain/trade.js';
import { buildChunksOffThread } from './build-chunks-off-thread.js';

const trade = (i: number): SourcedTrade => ({
  file: 'f.csv', line: i + 2, sourceId: String(i + 1), symbol: i % 2 ? 'EURUSD' : 'US30', direction: i % 3 ? 'buy' : 'sell',
  quantity: 0.5, volume: null, entryTime: Date.UTC(2025, 0, 1) + i * 3_600_000, exitTime: Date.UTC(2025, 0, 1) + i * 3_600_000 + 1_800_000,
  entryPrice: 1.1, exitPrice: 1.2, gross: null, commission: i % 4 ? -0.5 : null, swap: null, net: (i % 5) - 2.5, pips: 3,
  balanceAfter: null, label: i % 2 ? 'bot "quoted"' : null, closeReason: i % 5 ? 'stop_loss' : 'take_profit',
  stops: i === 3 ? [{ time: Date.UTC(2025, 0, 1, 3, 10), stopLoss: 1.05, takeProfit: null }] : null, metadata: i === 4 ? { note: 'é' } : {},
});

describe('chunks built on a worker thread', () => {
  it('are exactly the chunks built in place, and the caller keeps its columns', async () => {
    const trades = tradesToColumns(Array.from({ length: 300 }, (_, i) => trade(i)), 'f.csv');
    const source = { backtestId: 'bt', accountCurrency: 'EUR', trades };
    const expected = buildChunks(source, { maxTradeChunks: 200 });
    const got = await buildChunksOffThread(source, { maxTradeChunks: 200 });
    expect(got).toEqual(expected);
    expect(trades.net.length).toBe(300);
  });

  it('gives up when the call is aborted instead of waiting forever', async () => {
    const trades = tradesToColumns(Array.from({ length: 300 }, (_, i) => trade(i)), 'f.csv');
    const controller = new AbortController();
    const pending = buildChunksOffThread({ backtestId: 'bt', accountCurrency: 'EUR', trades }, {}, controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow(/building the chunks failed/);
  });
});
