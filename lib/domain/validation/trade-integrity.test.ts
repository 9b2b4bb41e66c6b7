import { describe, expect, it } from 'vitest';
import { IssueLog } from '../issues.js';
import { tradesToColumns } from '../trade-columns.js';
import type { SourcedTrade } from '../trade.js';
import { TradeIntegrity } from './trade-integrity.js';

const base = (i: number, over: Partial<SourcedTrade> = {}): SourcedTrade => ({
  file: 'h.csv', line: i + 2, sourceId: String(i + 1), symbol: 'EURUSD', direction: 'buy', quantity: 1, volume: 100_000,
  entryTime: Date.UTC(2025, 0, 1, i), exitTime: Date.UTC(2025, 0, 1, i, 30), entryPrice: 1.1, exitPrice: 1.1001,
  gross: 10, commission: -1, swap: 0, net: 9, pips: 1, balanceAfter: 1000 + 9 * (i + 1), label: null,
  closeReason: 'unknown', stops: null, metadata: {}, ...over,
});

function run(trades: SourcedTrade[]) {
  const issues = new IssueLog();
  const integrity = new TradeIntegrity('h.csv', issues);
  const keep = integrity.check(tradesToColumns(trades, 'h.csv'));
  return { keep: Array.from(keep), result: integrity.finish(), issues };
}

describe('trade integrity', () => {
  it('accepts a consistent file and infers the starting balance from the first row', () => {
    const { keep, result, issues } = run([0, 1, 2].map((i) => base(i)));
    expect(keep).toEqual([1, 1, 1]);
    expect(issues.total).toBe(0);
    expect(result).toEqual({ balanceOrder: 'oldest-first', balanceMismatches: 0, impliedStartingBalance: 1000 });
  });

  it('rejects a trade that closes before it opens, naming the line and field', () => {
    const { keep, issues } = run([base(0), base(1, { exitTime: Date.UTC(2024, 11, 31) })]);
    expect(keep).toEqual([1, 0]);
    expect(issues.kept[0]).toMatchObject({ severity: 'reject', code: 'close_before_open', line: 3, field: 'exitTime', tradeId: '2' });
  });

  it('rejects the second use of an id', () => {
    const { keep, issues } = run([base(0), base(1, { sourceId: '1' })]);
    expect(keep).toEqual([1, 0]);
    expect(issues.kept[0]).toMatchObject({ code: 'duplicate_id', line: 3, message: expect.stringContaining('earlier row') });
  });

  it('leaves a repeated row out of the balance chain, so the reject is its only issue', () => {
    const { keep, issues, result } = run([base(0), base(1), { ...base(1), line: 4 }, { ...base(2), line: 5 }]);
    expect(keep).toEqual([1, 1, 0, 1]);
    expect(issues.total).toBe(1);
    expect(result.balanceMismatches).toBe(0);
  });

  it('keeps a trade rejected for closing before it opens in the balance chain', () => {
    const { keep, issues, result } = run([base(0), base(1, { exitTime: Date.UTC(2024, 11, 31) }), base(2)]);
    expect(keep).toEqual([1, 0, 1]);
    expect(issues.total).toBe(1);
    expect(result.balanceMismatches).toBe(0);
  });

  it('names the first line of a repeated id that is not a plain integer', () => {
    const { keep, issues } = run([base(0, { sourceId: 'D-1' }), base(1, { sourceId: 'D-1' })]);
    expect(keep).toEqual([1, 0]);
    expect(issues.kept[0]).toMatchObject({ code: 'duplicate_id', line: 3, message: expect.stringContaining('line 2') });
  });

  it('warns about a running balance that disagrees with net beyond rounding, keeping the row', () => {
    const trades = [base(0), base(1, { balanceAfter: 1018.05 }), base(2, { balanceAfter: 1027.05 })];
    const { keep, issues, result } = run(trades);
    expect(keep).toEqual([1, 1, 1]);
    expect(result.balanceMismatches).toBe(1);
    expect(issues.kept[0]).toMatchObject({ severity: 'warning', code: 'balance_mismatch', line: 3, expected: '1018', found: '1018.05' });
  });

  it('tolerates one cent of display rounding', () => {
    const { issues } = run([base(0), base(1, { balanceAfter: 1018.01 }), base(2, { balanceAfter: 1027.01 })]);
    expect(issues.total).toBe(0);
  });

  it('recognises a newest-first file and checks it in that order', () => {
    const trades = [2, 1, 0].map((i) => base(i));
    const { issues, result } = run(trades);
    expect(result).toEqual({ balanceOrder: 'newest-first', balanceMismatches: 0, impliedStartingBalance: 1000 });
    expect(issues.total).toBe(0);
  });

  it('warns when gross, commission and swap do not add up to net', () => {
    const { issues } = run([base(0, { net: 9.5, balanceAfter: 1009.5 })]);
    expect(issues.kept[0]).toMatchObject({ code: 'net_mismatch', field: 'net', expected: '9', found: '9.5' });
  });

  it('counts every balance mismatch even beyond the detail cap', () => {
    const trades = Array.from({ length: 300 }, (_, i) => base(i, { balanceAfter: 5 * i }));
    const { issues } = run(trades);
    expect(issues.toJSON().byCode).toContainEqual({ code: 'balance_mismatch', severity: 'warning', count: 299 });
    expect(issues.kept.filter((k) => k.code === 'balance_mismatch')).toHaveLength(100);
  });
});
