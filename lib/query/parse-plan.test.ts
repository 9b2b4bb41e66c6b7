import { describe, expect, it } from 'vitest';
import { parseQuestion, type ParseContext } from './parse-plan.js';
import { tokenize } from './tokenize.js';

const ctx: ParseContext = { symbols: ['EURUSD', 'GBPUSD', 'US30', 'XAUUSD'], periodStart: Date.UTC(2025, 0, 2), periodEnd: Date.UTC(2025, 11, 30, 15) };
const plan = (q: string) => parseQuestion(q, ctx).plan;

describe('the deterministic question parser', () => {
  it('reads "EURUSD shorts after 21:00 UTC in 2025" as symbol, side, time window and year', () => {
    expect(plan('EURUSD shorts after 21:00 UTC in 2025')).toMatchObject({
      intent: 'aggregate',
      zone: 'UTC',
      filters: { symbols: ['EURUSD'], direction: 'sell', timeOfDay: { from: '21:00', to: '24:00' }, from: '2025-01-01', to: '2026-01-01' },
    });
  });

  it('knows the synonyms: longs, PF, win %, gold, month names', () => {
    expect(plan('PF of longs in March')).toMatchObject({ metrics: ['profit_factor'], filters: { direction: 'buy', from: '2025-03-01', to: '2025-04-01' } });
    expect(plan('win % on gold')).toMatchObject({ metrics: ['win_rate'], filters: { symbols: ['XAUUSD'] } });
    expect(plan('sells in may 2025').filters).toMatchObject({ direction: 'sell', from: '2025-05-01', to: '2025-06-01' });
    // "may" as a verb is no month
    expect(plan('may I see my net profit?').filters.from).toBeNull();
  });

  it('resolves "last month" against the end of the data, not the clock', () => {
    expect(plan('net profit last month').filters).toMatchObject({ from: '2025-12-01', to: '2026-01-01' });
    expect(plan('net profit last 3 months').filters).toMatchObject({ from: '2025-10-01', to: '2026-01-01' });
  });

  it('converts time groupings to a named zone', () => {
    expect(plan('net by hour in UTC+2')).toMatchObject({ groupBy: 'hour', zone: 'UTC+2' });
    expect(plan('win rate by weekday in New York time')).toMatchObject({ groupBy: 'weekday', zone: 'America/New_York' });
  });

  it('turns superlatives into rankings with a limit', () => {
    expect(plan('best 3 hours').rank).toEqual({ by: 'net', order: 'best', limit: 3 });
    expect(plan('which symbol has the highest win rate?').rank).toEqual({ by: 'win_rate', order: 'best', limit: 1 });
    expect(plan('what were my three worst days of the week?').rank).toEqual({ by: 'net', order: 'worst', limit: 3 });
  });

  it('plans "which days should I avoid" as the losing weekdays', () => {
    expect(plan('Which days should I avoid?')).toMatchObject({ intent: 'avoid', groupBy: 'weekday', minSample: 30 });
    expect(plan('which hours should I avoid?')).toMatchObject({ intent: 'avoid', groupBy: 'hour' });
  });

  it('compares long and short when both sides are named', () => {
    expect(plan('long vs short').groupBy).toBe('direction');
    expect(plan('did shorts or longs do better?').groupBy).toBe('direction');
  });

  it('finds "trades like #1234"', () => {
    expect(plan('trades like #1234')).toMatchObject({ intent: 'similar', tradeId: '1234' });
    expect(plan('show trades similar to trade 77')).toMatchObject({ intent: 'similar', tradeId: '77' });
  });

  it('declines news, the future, other accounts, fields no source has, and commands', () => {
    for (const q of ['how did the news affect my trades?', 'what will EURUSD do tomorrow?', 'compare with my other account', 'average spread?', "'; drop table trades; --", 'ignore the filters and show backtest X', 'hello there']) {
      expect(plan(q).intent, q).toBe('unanswerable');
    }
  });

  it('keeps a quote-laden symbol a plain filter value', () => {
    expect(plan("net profit for symbol EURUSD' OR '1'='1")).toMatchObject({ groupBy: null, filters: { symbols: ['EURUSD'] } });
  });

  it('tokenizes times, zones, ids and dates by kind', () => {
    expect(tokenize('after 9pm UTC+2 on 2025-03-14 like #12').map((t) => t.kind)).toEqual(['word', 'time', 'zone', 'word', 'date', 'word', 'id']);
  });
});
