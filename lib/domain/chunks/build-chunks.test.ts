import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../ports/vector-store.js';
import type { SourcedTrade } from '../trade.js';
import { tradesToColumns } from '../trade-columns.js';
import { buildChunks } from './build-chunks.js';
import { stopSummary } from './trade-chunks.js';

const T = (iso: string) => Date.parse(`${iso}Z`);
let line = 0;
function trade(over: Partial<SourcedTrade> & { sourceId: string; entry?: string; exit: string }): SourcedTrade {
  const { entry, exit, ...rest } = over;
  return {
    file: 'h.csv',
    line: ++line,
    symbol: 'EURUSD',
    direction: 'buy',
    quantity: 0.1,
    volume: 10_000,
    entryTime: entry ? T(entry) : null,
    exitTime: T(exit),
    entryPrice: 1.08,
    exitPrice: 1.081,
    gross: null,
    commission: null,
    swap: null,
    net: 10,
    pips: null,
    balanceAfter: null,
    label: null,
    closeReason: 'take_profit',
    stops: null,
    metadata: {},
    ...rest,
  };
}
const chunksOf = (trades: SourcedTrade[], currency: string | null = 'USD') =>
  buildChunks({ backtestId: 'bt-1', accountCurrency: currency, trades: tradesToColumns(trades, 'h.csv') });
const byId = (chunks: Chunk[], id: string) => {
  const c = chunks.find((x) => x.id === id);
  if (!c) throw new Error(`no chunk ${id}; have ${chunks.map((x) => x.id).join(', ')}`);
  return c;
};
const ids = (chunks: Chunk[], prefix: string) => chunks.filter((c) => c.id.startsWith(prefix)).map((c) => c.id);

describe('trade chunks', () => {
  it('state side, size, symbol, UTC times, duration, net in the account currency, costs, outcome and exit', () => {
    const chunks = chunksOf([
      trade({
        sourceId: '101',
        direction: 'sell',
        quantity: 0.2,
        entry: '2025-03-04T14:05:00',
        exit: '2025-03-04T15:20:00',
        entryPrice: 1.0845,
        exitPrice: 1.086,
        gross: -30,
        commission: -1.2,
        swap: 0,
        net: -31.2,
        pips: -15,
        balanceAfter: 9968.8,
        closeReason: 'stop_loss',
        label: 'TrendBot',
      }),
    ]);
    const c = byId(chunks, 'trade:101');
    expect(c.text).toBe(
      'Trade 101: sell 0.2 lots EURUSD, opened Tuesday 2025-03-04 14:05 UTC (afternoon) at 1.0845, closed 2025-03-04 15:20 UTC at 1.086 after 1h 15m. ' +
        'Net -31.20 USD (loss; gross -30.00 USD, commission -1.20 USD, swap 0.00 USD), -15 pips. Closed by stop loss. Balance after: 9968.80 USD. Label: TrendBot.',
    );
    expect(c).toMatchObject({
      backtestId: 'bt-1',
      kind: 'trade',
      from: '2025-03-04T14:05:00.000Z',
      to: '2025-03-04T15:20:00.000Z',
      symbol: 'EURUSD',
      tradeIds: ['101'],
      metadata: { direction: 'sell', net: -31.2, closeReason: 'stop_loss', durationMinutes: 75, entryHourUtc: 14, entryWeekday: 1 },
    });
  });

  it('say when the open time is unknown, and leave the currency out when the account’s is unknown', () => {
    const [c] = chunksOf([trade({ sourceId: '7', exit: '2025-03-08T23:59:00', net: 5, entryPrice: null })], null);
    expect(c!.text).toContain('opened at an unrecorded time, closed Saturday 2025-03-08 23:59 UTC');
    expect(c!.text).toContain('Net +5.00 (win)');
    expect(c!.from).toBe('2025-03-08T23:59:00.000Z');
  });

  it('summarise the stop history: tightened, to breakeven, widened, removed', () => {
    const at = (sl: number | null, tp: number | null = null) => ({ time: 0, stopLoss: sl, takeProfit: tp });
    expect(stopSummary([at(1.07, 1.1), at(1.075), at(1.078)], 'buy', 1.08)).toBe('Stop loss set at 1.07, moved 2 time(s), last 1.078 (tightened); take profit 1.1.');
    expect(stopSummary([at(1.07), at(1.08)], 'buy', 1.08)).toBe('Stop loss set at 1.07, moved 1 time(s), last 1.08 to breakeven.');
    expect(stopSummary([at(1.09), at(1.095)], 'sell', 1.08)).toBe('Stop loss set at 1.09, moved 1 time(s), last 1.095 (widened).');
    expect(stopSummary([at(1.07), at(null)], 'buy', 1.08)).toBe('Stop loss set at 1.07, moved 1 time(s), then removed.');
    expect(stopSummary([at(1.07)], 'buy', 1.08)).toBe('Stop loss at 1.07, never moved.');
    expect(stopSummary([at(null, null)], 'buy', 1.08)).toBeNull();
  });
});

describe('daily and weekly summaries', () => {
  const trades = [
    trade({ sourceId: '1', entry: '2025-03-03T08:00:00', exit: '2025-03-03T09:00:00', net: 50 }),
    trade({ sourceId: '2', entry: '2025-03-03T10:00:00', exit: '2025-03-03T11:00:00', net: -20, symbol: 'US30', closeReason: 'stop_loss' }),
    trade({ sourceId: '3', entry: '2025-03-03T22:00:00', exit: '2025-03-04T01:00:00', net: -5 }),
    trade({ sourceId: '4', entry: '2025-03-10T09:00:00', exit: '2025-03-10T10:00:00', net: 12.5 }),
  ];

  it('count a trade on the UTC day it closed, with net, wins, losses, win rate, best, worst, symbols and exits', () => {
    const chunks = chunksOf(trades);
    expect(ids(chunks, 'daily:')).toEqual(['daily:2025-03-03', 'daily:2025-03-04', 'daily:2025-03-10']);
    const d = byId(chunks, 'daily:2025-03-03');
    expect(d.text).toBe(
      'Day 2025-03-03 (Monday, UTC): 2 trades closed, net +30.00 USD; 1 win, 1 loss, win rate 50.0%. ' +
        'Best trade 1 +50.00 USD (EURUSD buy); worst trade 2 -20.00 USD (US30 buy). ' +
        'Symbols: EURUSD 1 trade net +50.00 USD; US30 1 trade net -20.00 USD. Exits: stop loss 1, take profit 1.',
    );
    expect(d).toMatchObject({ kind: 'daily', from: '2025-03-03T00:00:00.000Z', to: '2025-03-03T23:59:59.999Z', symbol: null, tradeIds: ['1', '2'] });
    expect(d.metadata).toMatchObject({ trades: 2, net: 30, wins: 1, losses: 1, winRate: 0.5, bestTradeId: '1', worstTradeId: '2' });
    expect(byId(chunks, 'daily:2025-03-04')).toMatchObject({ symbol: 'EURUSD', tradeIds: ['3'] });
  });

  it('group days into ISO weeks, Monday to Sunday, naming the best and worst day', () => {
    const chunks = chunksOf(trades);
    expect(ids(chunks, 'weekly:')).toEqual(['weekly:2025-W10', 'weekly:2025-W11']);
    const w = byId(chunks, 'weekly:2025-W10');
    expect(w.text).toMatch(/^Week 2025-W10 \(Monday 2025-03-03 to Sunday 2025-03-09, UTC\): 3 trades closed, net \+25\.00 USD;/);
    expect(w.text).toContain('Best day Monday 2025-03-03 net +30.00 USD; worst day Tuesday 2025-03-04 net -5.00 USD.');
    expect(w).toMatchObject({ from: '2025-03-03T00:00:00.000Z', to: '2025-03-09T23:59:59.999Z', tradeIds: ['1', '2', '3'] });
  });

  it('name a week that straddles New Year by the year of its Thursday', () => {
    const chunks = chunksOf([trade({ sourceId: '1', exit: '2024-12-30T12:00:00' }), trade({ sourceId: '2', exit: '2021-01-03T12:00:00' })]);
    expect(ids(chunks, 'weekly:')).toEqual(['weekly:2020-W53', 'weekly:2025-W01']);
  });
});

describe('patterns', () => {
  it('find losing streaks of three or more in closing order, ended by a breakeven or a win', () => {
    const chunks = chunksOf([
      // Listed out of closing order on purpose.
      trade({ sourceId: '3', exit: '2025-03-04T12:00:00', net: -3, balanceAfter: 994 }),
      trade({ sourceId: '1', exit: '2025-03-04T10:00:00', net: -1, balanceAfter: 999 }),
      trade({ sourceId: '2', exit: '2025-03-04T11:00:00', net: -2, balanceAfter: 997 }),
      trade({ sourceId: '4', exit: '2025-03-04T13:00:00', net: 0 }),
      trade({ sourceId: '5', exit: '2025-03-04T14:00:00', net: -1 }),
      trade({ sourceId: '6', exit: '2025-03-04T15:00:00', net: -1 }),
      trade({ sourceId: '7', exit: '2025-03-04T16:00:00', net: 4 }),
    ]);
    expect(ids(chunks, 'pattern:losing-streak:')).toEqual(['pattern:losing-streak:1']);
    const s = byId(chunks, 'pattern:losing-streak:1');
    expect(s.text).toMatch(/^Losing streak: 3 losing trades in a row from 2025-03-04 10:00 UTC to 2025-03-04 12:00 UTC \(2h 0m\), net -6\.00 USD; largest loss trade 3 -3\.00 USD/);
    expect(s.text).toContain('Trades 1, 2, 3.');
    expect(s.text).toContain('The balance fell from 1000.00 USD to 994.00 USD.');
    expect(s).toMatchObject({ kind: 'pattern', symbol: 'EURUSD', tradeIds: ['1', '2', '3'], metadata: { pattern: 'losing-streak', length: 3 } });
  });

  it('rank the worst days, entry hours and weekdays by net, with counts; only losing ones', () => {
    const chunks = chunksOf([
      trade({ sourceId: '1', entry: '2025-03-03T14:10:00', exit: '2025-03-03T15:00:00', net: -100 }),
      trade({ sourceId: '2', entry: '2025-03-03T14:30:00', exit: '2025-03-03T16:00:00', net: 30 }),
      trade({ sourceId: '3', entry: '2025-03-04T09:00:00', exit: '2025-03-04T10:00:00', net: -20 }),
      trade({ sourceId: '4', entry: '2025-03-05T09:00:00', exit: '2025-03-05T10:00:00', net: 50 }),
    ]);
    expect(byId(chunks, 'pattern:worst-days').text).toBe(
      'Worst days by net result (UTC, by closing day): 2025-03-03 (Monday) net -70.00 USD over 2 trades (1 win, win rate 50.0%); 2025-03-04 (Tuesday) net -20.00 USD over 1 trade (0 wins, win rate 0.0%).',
    );
    expect(byId(chunks, 'pattern:worst-days').tradeIds).toEqual(['1', '2', '3']);
    expect(byId(chunks, 'pattern:worst-hours').text).toBe(
      'Worst hours of the day to open trades (UTC, by entry time): 14:00-15:00 net -70.00 USD over 2 trades (1 win, win rate 50.0%).',
    );
    expect(byId(chunks, 'pattern:worst-weekdays').text).toContain('Monday net -70.00 USD over 2 trades');
    expect(chunksOf([trade({ sourceId: '1', exit: '2025-03-03T15:00:00', net: 5 })]).filter((c) => c.id.startsWith('pattern:worst'))).toEqual([]);
  });

  it('cluster stop-loss exits that follow each other within an hour; trailing stops and other exits do not count', () => {
    const chunks = chunksOf([
      trade({ sourceId: '1', exit: '2025-03-04T10:00:00', net: -5, closeReason: 'stop_loss', symbol: 'US30' }),
      trade({ sourceId: '2', exit: '2025-03-04T10:30:00', net: 8, closeReason: 'take_profit' }),
      trade({ sourceId: '3', exit: '2025-03-04T10:50:00', net: -5, closeReason: 'stop_loss', symbol: 'US30' }),
      trade({ sourceId: '4', exit: '2025-03-04T11:40:00', net: -5, closeReason: 'stop_loss', symbol: 'US30' }),
      trade({ sourceId: '5', exit: '2025-03-04T12:00:00', net: 2, closeReason: 'trailing_stop' }),
      trade({ sourceId: '6', exit: '2025-03-04T12:41:00', net: -5, closeReason: 'stop_loss' }),
      trade({ sourceId: '7', exit: '2025-03-04T13:00:00', net: -5, closeReason: 'stop_loss' }),
    ]);
    expect(ids(chunks, 'pattern:stop-cluster:')).toEqual(['pattern:stop-cluster:1']);
    expect(byId(chunks, 'pattern:stop-cluster:1')).toMatchObject({
      text: 'Stop-loss cluster: 3 trades stopped out within 1h 40m, from 2025-03-04 10:00 UTC to 2025-03-04 11:40 UTC, net -15.00 USD. Trades 1, 3, 4. Symbols: US30 3 trades net -15.00 USD.',
      symbol: 'US30',
      tradeIds: ['1', '3', '4'],
    });
  });

  it('flag a trade opened within 30 minutes after a loss on the same symbol or at a larger size, and nothing else', () => {
    const chunks = chunksOf([
      trade({ sourceId: 'L1', entry: '2025-03-04T09:00:00', exit: '2025-03-04T10:00:00', net: -40, closeReason: 'stop_loss' }),
      trade({ sourceId: 'R1', entry: '2025-03-04T10:07:00', exit: '2025-03-04T10:30:00', net: -60 }), // same symbol, 7m: yes
      trade({ sourceId: 'R2', entry: '2025-03-04T10:45:00', exit: '2025-03-04T11:00:00', net: 25, symbol: 'US30', quantity: 0.5 }), // after R1's loss, larger: yes
      trade({ sourceId: 'N1', entry: '2025-03-04T11:10:00', exit: '2025-03-04T11:20:00', net: -5 }), // after R2's win: no
      trade({ sourceId: 'N2', entry: '2025-03-04T11:25:00', exit: '2025-03-04T12:00:00', net: 3, symbol: 'GBPUSD' }), // other symbol, same size: no
      trade({ sourceId: 'N3', entry: '2025-03-04T12:31:00', exit: '2025-03-04T13:00:00', net: 3, symbol: 'GBPUSD', quantity: 1, exitTime: T('2025-03-04T13:00:00') }), // 31m after N2 (a win) anyway: no
    ]);
    expect(ids(chunks, 'pattern:revenge')).toEqual(['pattern:revenge-trades', 'pattern:revenge:R1', 'pattern:revenge:R2']);
    expect(byId(chunks, 'pattern:revenge:R1').text).toBe(
      'Possible revenge trade R1: buy 0.1 lots EURUSD opened 2025-03-04 10:07 UTC, 7m after losing trade L1 (-40.00 USD, EURUSD, closed by stop loss); same symbol. It ended net -60.00 USD (loss).',
    );
    expect(byId(chunks, 'pattern:revenge:R2').text).toContain('larger size (0.5 lots after 0.1 lots)');
    expect(byId(chunks, 'pattern:revenge:R2').tradeIds).toEqual(['R2', 'R1']);
    const summary = byId(chunks, 'pattern:revenge-trades');
    expect(summary.text).toContain('2 trades opened within 30m after a losing trade closed, on the same symbol (1) or with a larger size (1). Together they netted -35.00 USD, win rate 50.0%');
    expect(summary.tradeIds).toEqual(['R1', 'R2']);
  });

  it('does not flag a trade opened 31 minutes after the loss', () => {
    const chunks = chunksOf([
      trade({ sourceId: 'L', entry: '2025-03-04T09:00:00', exit: '2025-03-04T10:00:00', net: -40 }),
      trade({ sourceId: 'B', entry: '2025-03-04T10:31:00', exit: '2025-03-04T11:00:00', net: -10 }),
    ]);
    expect(ids(chunks, 'pattern:revenge')).toEqual([]);
  });
});

describe('the chunk set', () => {
  it('is the same every time, with unique ids even when a source id repeats', () => {
    const trades = [
      trade({ sourceId: '1', exit: '2025-03-04T10:00:00', net: -1 }),
      trade({ sourceId: '1', exit: '2025-03-04T11:00:00', net: -1 }),
      trade({ sourceId: '2', exit: '2025-03-04T12:00:00', net: -1 }),
    ];
    const a = chunksOf(trades);
    expect(chunksOf(trades)).toEqual(a);
    expect(ids(a, 'trade:')).toEqual(['trade:1', 'trade:1~2', 'trade:2']);
    expect(new Set(a.map((c) => c.id)).size).toBe(a.length);
    expect(a.every((c) => c.backtestId === 'bt-1' && c.text.length > 0)).toBe(true);
  });

  it('is empty for a backtest without trades', () => {
    expect(chunksOf([])).toEqual([]);
  });
});
