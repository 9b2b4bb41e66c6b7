import { describe, expect, it } from 'vitest';
import { decodeTradeFrames, encodeTradeFrame } from './trade-frames.js';
import { tradeAt, tradesToColumns } from '../../domain/trade-columns.js';
import type { SourcedTrade } from '../../domain/trade.js';

const trade = (i: number, over: Partial<SourcedTrade> = {}): SourcedTrade => ({
  file: 'h.csv',
  line: i + 2,
  sourceId: String(i),
  symbol: i % 2 ? 'EURUSD' : 'GBPJPY',
  direction: i % 3 ? 'buy' : 'sell',
  quantity: 0.1,
  volume: 10000,
  entryTime: Date.UTC(2025, 0, 1) + i * 60_000,
  exitTime: Date.UTC(2025, 0, 1) + i * 60_000 + 30_000,
  entryPrice: 1.08123,
  exitPrice: 1.08223,
  gross: 10.01,
  commission: i % 4 ? -0.6 : null,
  swap: null,
  net: 9.41,
  pips: 10,
  balanceAfter: 10_000 + i,
  label: i % 5 ? 'bot' : null,
  closeReason: i % 2 ? 'stop_loss' : 'take_profit',
  stops: i === 1 ? [{ time: 5, stopLoss: 1.07, takeProfit: null }] : null,
  metadata: i === 2 ? { Comment: 'naïve € text' } : {},
  ...over,
});

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('staged trade frames', () => {
  it('round-trips every field, including nulls, stop history and metadata, across arbitrary chunking', async () => {
    const trades = Array.from({ length: 25 }, (_, i) => trade(i));
    const a = encodeTradeFrame(tradesToColumns(trades.slice(0, 10), 'h.csv'));
    const b = encodeTradeFrame(tradesToColumns(trades.slice(10), 'h.csv'));
    const all = new Uint8Array(a.length + b.length);
    all.set(a);
    all.set(b, a.length);
    for (const size of [1, 7, 100, all.length]) {
      const back: SourcedTrade[] = [];
      for await (const cols of decodeTradeFrames(chunked(all, size))) {
        for (let i = 0; i < cols.length; i++) back.push(tradeAt(cols, i));
      }
      expect(back).toEqual(trades);
    }
  });

  it('rejects bytes that stop in the middle of a frame', async () => {
    const frame = encodeTradeFrame(tradesToColumns([trade(0)], 'h.csv'));
    await expect(async () => {
      for await (const _ of decodeTradeFrames(chunked(frame.subarray(0, frame.length - 3), 50)));
    }).rejects.toThrow(/middle of a frame/);
  });

  it('rejects bytes that are not frames', async () => {
    await expect(async () => {
      for await (const _ of decodeTradeFrames(chunked(new TextEncoder().encode('hello world, not frames'), 4)));
    }).rejects.toThrow(/frame format/);
  });
});
