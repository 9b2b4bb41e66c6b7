import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradesToColumns, tradeAt, type TradeColumns } from '../domain/trade-columns.js';
import type { SourcedTrade } from '../domain/trade.js';
import type { BarColumns } from '../formats/types.js';
import type { BacktestRecord, Store } from './store.js';

/**
 * The cases every Store adapter must pass. `open` gives a store on an empty, migrated database;
 * `dispose` releases it.
 */
export function storeContract(name: string, open: () => Promise<{ store: Store; dispose: () => Promise<void> }>): void {
  describe(name, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ store, dispose } = await open());
    });
    afterAll(async () => {
      await dispose?.();
    });

    const sha = (n: number) => n.toString(16).padStart(64, '0');
    const upload = async (n: number) => store.putUpload({ sha256: sha(n), name: `f${n}.csv`, sizeBytes: 10 });

    it('ends migrated without the trades exit-time index that 0001 creates and 0004 drops', async () => {
      expect(await store.query(`select to_regclass('trades_by_exit_time') is null as absent`)).toEqual([{ absent: true }]);
    });

    it('records identical content once and returns the first record on a second upload', async () => {
      const a = await store.putUpload({ sha256: sha(1), name: 'first.csv', sizeBytes: 123, format: 'ctrader-history-csv' });
      const b = await store.putUpload({ sha256: sha(1), name: 'renamed.csv', sizeBytes: 123 });
      expect(a.created).toBe(true);
      expect(b.created).toBe(false);
      expect(b.upload.name).toBe('first.csv');
      expect(b.upload).toMatchObject({ sizeBytes: 123, status: 'stored', format: 'ctrader-history-csv', error: null });
    });

    it('keeps an upload error until it is cleared', async () => {
      await upload(2);
      const error = { code: 'missing_columns', message: 'no Closing time', details: { file: 'f2.csv', line: 1 } };
      await store.updateUpload(sha(2), { status: 'failed', error });
      expect(await store.getUpload(sha(2))).toMatchObject({ status: 'failed', error });
      await store.updateUpload(sha(2), { status: 'loaded', error: null });
      expect(await store.getUpload(sha(2))).toMatchObject({ status: 'loaded', error: null });
    });

    it('rejects an upload whose hash is not a SHA-256', async () => {
      await expect(store.putUpload({ sha256: 'abc', name: 'x', sizeBytes: 1 })).rejects.toThrow();
    });

    it('stores every trade field and reads trades back in order', async () => {
      await upload(3);
      const trades = sampleTrades(7);
      const saved = await store.saveBacktest('bt-fields', [{ sha256: sha(3), role: 'trades', name: 'f3.csv' }], once(trades), () => backtest('bt-fields', 7));
      expect(saved).toBe(true);
      const back = await store.readTrades('bt-fields');
      expect(back.length).toBe(7);
      for (let i = 0; i < 7; i++) {
        const { file: _f, ...got } = tradeAt(back, i);
        const { file: _g, ...want } = trades[i]!;
        expect(got).toEqual(want);
      }
      expect(await store.backtestSources('bt-fields')).toEqual([{ sha256: sha(3), role: 'trades', name: 'f3.csv' }]);
      const bt = await store.getBacktest('bt-fields');
      expect(bt).toMatchObject({ tradeCount: 7, symbols: ['EURUSD', 'US30'], startingBalance: 10000.5, accountCurrency: 'EUR' });
      expect(bt!.periodStart).toBe(Date.UTC(2025, 0, 1));
    });

    it('reads every trade of a backtest larger than one read page, in order', async () => {
      const n = 50_010;
      async function* many(): AsyncGenerator<TradeColumns> {
        for (let from = 0; from < n; from += 10_000) {
          const base = sampleTrades(1)[0]!;
          yield tradesToColumns(Array.from({ length: Math.min(10_000, n - from) }, (_, k) => ({ ...base, sourceId: String(from + k), net: from + k })), 'big.csv');
        }
      }
      await store.saveBacktest('bt-big', [], many(), () => backtest('bt-big', n));
      const back = await store.readTrades('bt-big');
      expect(back.length).toBe(n);
      expect(back.sourceId[0]).toBe('0');
      expect(back.sourceId[n - 1]).toBe(String(n - 1));
      expect(Array.from(back.net.subarray(49_998, 50_002))).toEqual([49_998, 49_999, 50_000, 50_001]);
      expect((await store.readTrades('bt-big', { limit: 3, offset: 50_000 })).sourceId).toEqual(['50000', '50001', '50002']);
      await store.deleteBacktest('bt-big');
    }, 60_000);

    it('pages through trades', async () => {
      const page = await store.readTrades('bt-fields', { limit: 2, offset: 3 });
      expect(page.sourceId).toEqual(['3', '4']);
    });

    it('writes nothing twice when a backtest id is saved again', async () => {
      const again = await store.saveBacktest('bt-fields', [], once(sampleTrades(7)), () => backtest('bt-fields', 7));
      expect(again).toBe(false);
      expect((await store.readTrades('bt-fields')).length).toBe(7);
    });

    it('leaves no half-loaded backtest when the trade stream fails midway', async () => {
      async function* failing(): AsyncGenerator<TradeColumns> {
        yield tradesToColumns(sampleTrades(3), 'x.csv');
        throw new Error('disk on fire');
      }
      await expect(store.saveBacktest('bt-broken', [], failing(), () => backtest('bt-broken', 6))).rejects.toThrow('disk on fire');
      expect(await store.getBacktest('bt-broken')).toBeUndefined();
      expect((await store.readTrades('bt-broken')).length).toBe(0);
    });

    it('rolls back every trade when the record cannot be described after streaming (e.g. rejected rows)', async () => {
      const refused = store.saveBacktest('bt-refused', [], once(sampleTrades(4)), () => {
        throw new Error('2 rows rejected');
      });
      await expect(refused).rejects.toThrow('2 rows rejected');
      expect((await store.readTrades('bt-refused')).length).toBe(0);
      expect(await store.getBacktest('bt-refused')).toBeUndefined();
    });

    it('saves a backtest once when two loads of it race', async () => {
      const results = await Promise.all([1, 2].map(() => store.saveBacktest('bt-race', [], once(sampleTrades(5)), () => backtest('bt-race', 5))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.readTrades('bt-race')).length).toBe(5);
    });

    it('rolls back when fewer trades arrive than the backtest declares', async () => {
      await expect(store.saveBacktest('bt-short', [], once(sampleTrades(3)), () => backtest('bt-short', 9))).rejects.toThrow(/declared 9/);
      expect(await store.getBacktest('bt-short')).toBeUndefined();
    });

    it('sums money exactly', async () => {
      const trades = Array.from({ length: 10 }, (_, i) => ({ ...sampleTrades(1)[0]!, sourceId: String(i), net: 0.1 }));
      await store.saveBacktest('bt-money', [], once(trades), () => backtest('bt-money', 10));
      const [row] = await store.query<{ total: string }>('select sum(net)::text as total from trades where backtest_id = $1', ['bt-money']);
      expect(row!.total).toBe('1.0');
    });

    it('keeps the rollups written with a backtest, exactly, and deletes them with it', async () => {
      const rollups = [
        { grain: 'day' as const, key: '2025-01-01', n: 2, wins: 1, losses: 1, net: 0.3, grossProfit: 10.1, grossLoss: -9.8, largestWin: 10.1, largestLoss: -9.8, commission: null, commissionKnown: 0, swap: -0.01, swapKnown: 2, sumSqNet: 198.05 },
        { grain: 'hour' as const, key: '07', n: 2, wins: 1, losses: 1, net: 0.3, grossProfit: 10.1, grossLoss: -9.8, largestWin: 10.1, largestLoss: -9.8, commission: null, commissionKnown: 0, swap: -0.01, swapKnown: 2, sumSqNet: 198.05 },
      ];
      await store.saveBacktest('bt-rollups', [], once(sampleTrades(2)), () => ({ ...backtest('bt-rollups', 2), rollups }));
      const rows = await store.query<Record<string, unknown>>(
        "select grain, key, n, net::text as net, gross_loss::text as gl, commission, swap::text as swap from trade_rollups where backtest_id = $1 order by grain, key",
        ['bt-rollups'],
      );
      expect(rows).toEqual([
        { grain: 'day', key: '2025-01-01', n: 2, net: '0.3', gl: '-9.8', commission: null, swap: '-0.01' },
        { grain: 'hour', key: '07', n: 2, net: '0.3', gl: '-9.8', commission: null, swap: '-0.01' },
      ]);
      await store.deleteBacktest('bt-rollups');
      expect(await store.query('select 1 from trade_rollups where backtest_id = $1', ['bt-rollups'])).toEqual([]);
    });

    it('lists and deletes backtests with their trades and the chunks kept beside them', async () => {
      expect((await store.listBacktests()).map((b) => b.id)).toContain('bt-money');
      await store.query(`insert into chunks (backtest_id, model, id, kind, text) values ('bt-money', 'm', 'c1', 'daily', 'a day')`);
      expect(await store.deleteBacktest('bt-money')).toBe(true);
      expect(await store.deleteBacktest('bt-money')).toBe(false);
      expect((await store.readTrades('bt-money')).length).toBe(0);
      expect(await store.query(`select 1 from chunks where backtest_id = 'bt-money'`)).toEqual([]);
    });

    it('stores bars and reads them back ordered by time', async () => {
      await upload(4);
      const bars = barColumns([3, 1, 2].map((d) => Date.UTC(2024, 0, d)));
      const saved = await store.saveBarDataset(
        { id: 'bars-1', sha256: sha(4), name: 'b.csv', symbol: 'EURUSD', timeframe: 'd1', layout: 'backtrader', barCount: 3, firstTime: Date.UTC(2024, 0, 1), lastTime: Date.UTC(2024, 0, 3) },
        once1(bars),
      );
      expect(saved).toBe(true);
      const back = await store.readBars('bars-1');
      expect(Array.from(back.time)).toEqual([1, 2, 3].map((d) => Date.UTC(2024, 0, d)));
      expect(Array.from(back.close)).toEqual([1.2, 2.2, 3.2]);
      expect(await store.getBarDataset('bars-1')).toMatchObject({ barCount: 3, layout: 'backtrader', symbol: 'EURUSD' });
    });

    it('refuses bars with a duplicate time and keeps none of them', async () => {
      const t = Date.UTC(2024, 0, 1);
      await expect(
        store.saveBarDataset(
          { id: 'bars-dup', sha256: sha(4), name: 'b.csv', symbol: null, timeframe: null, layout: 'generic', barCount: 2, firstTime: t, lastTime: t },
          once1(barColumns([t, t])),
        ),
      ).rejects.toThrow();
      expect(await store.getBarDataset('bars-dup')).toBeUndefined();
    });

    it('tracks a job from queued to finished with progress', async () => {
      const job = await store.createJob({ id: 'job-1', kind: 'ingest', request: { files: ['a'] }, callId: 'call-1' });
      expect(job).toMatchObject({ status: 'queued', finishedAt: null, progress: { done: 0, total: null } });
      await store.updateJob('job-1', { status: 'running', stage: 'parse', progress: { done: 5, total: 10, unit: 'rows' } });
      expect(await store.getJob('job-1')).toMatchObject({ status: 'running', stage: 'parse', progress: { done: 5, total: 10, unit: 'rows' } });
      await store.updateJob('job-1', { status: 'succeeded', result: { backtestId: 'x' } });
      const done = await store.getJob('job-1');
      expect(done).toMatchObject({ status: 'succeeded', stage: 'parse', result: { backtestId: 'x' } });
      expect(done!.finishedAt).not.toBeNull();
      expect((await store.listJobs({ status: 'succeeded' })).map((j) => j.id)).toContain('job-1');
      expect((await store.listJobs({ status: 'failed' })).map((j) => j.id)).not.toContain('job-1');
    });

    it('clears the finish time when a finished job is queued again', async () => {
      await store.createJob({ id: 'job-2', kind: 'ingest' });
      await store.updateJob('job-2', { status: 'failed', error: { code: 'x' } });
      expect((await store.getJob('job-2'))!.finishedAt).not.toBeNull();
      await store.updateJob('job-2', { status: 'queued', error: null, result: null, progress: { done: 0, total: null } });
      expect(await store.getJob('job-2')).toMatchObject({ status: 'queued', finishedAt: null, error: null, progress: { done: 0, total: null } });
    });

    it('creating an existing job returns it unchanged', async () => {
      const again = await store.createJob({ id: 'job-1', kind: 'ingest' });
      expect(again.status).toBe('succeeded');
    });

    it('records dead letters with their last error', async () => {
      await store.recordDeadLetter({ stage: 'parse', messageId: 'm-1', envelope: { id: 'm-1' }, attempts: 5, lastError: 'boom' });
      const [dead] = await store.listDeadLetters();
      expect(dead).toMatchObject({ stage: 'parse', messageId: 'm-1', attempts: 5, lastError: 'boom', envelope: { id: 'm-1' } });
    });

    it('remembers processed message ids per stage', async () => {
      expect(await store.isProcessed('parse', 'm-2')).toBe(false);
      await store.markProcessed('parse', 'm-2');
      await store.markProcessed('parse', 'm-2');
      expect(await store.isProcessed('parse', 'm-2')).toBe(true);
      expect(await store.isProcessed('validate', 'm-2')).toBe(false);
    });

    it('stores parameter sets once', async () => {
      const p = { id: 'ps-1', sha256: null, kind: 'cbotset' as const, name: 'a.cbotset', symbol: 'NAS100', timeframe: 'm1', parameters: { Fast: 9, Enabled: true } };
      expect(await store.saveParameterSet(p)).toBe(true);
      expect(await store.saveParameterSet(p)).toBe(false);
      expect(await store.getParameterSet('ps-1')).toEqual(p);
    });
  });
}

async function* once(trades: SourcedTrade[]): AsyncGenerator<TradeColumns> {
  yield tradesToColumns(trades.slice(0, 2), 'f.csv');
  yield tradesToColumns(trades.slice(2), 'f.csv');
}

async function* once1(b: BarColumns): AsyncGenerator<BarColumns> {
  yield b;
}

function barColumns(times: number[]): BarColumns {
  const n = times.length;
  const f = (k: number) => Float64Array.from(times.map((t) => new Date(t).getUTCDate() + k));
  return { length: n, time: Float64Array.from(times), open: f(0.1), high: f(0.5), low: f(0), close: f(0.2), volume: f(100) };
}

function backtest(id: string, tradeCount: number): BacktestRecord {
  return {
    id,
    name: id,
    sourceKind: 'ctrader-history-csv',
    accountCurrency: 'EUR',
    startingBalance: 10000.5,
    periodStart: Date.UTC(2025, 0, 1),
    periodEnd: Date.UTC(2025, 1, 1),
    symbols: ['EURUSD', 'US30'],
    timeframe: 'm5',
    parameters: { Fast: 9 },
    costModel: null,
    summary: { trades: tradeCount },
    issues: { rejects: 0, warnings: 0 },
    context: {},
    tradeCount,
  };
}

function sampleTrades(n: number): SourcedTrade[] {
  return Array.from({ length: n }, (_, i) => ({
    file: 'f.csv',
    line: i + 2,
    sourceId: String(i),
    symbol: i % 2 ? 'US30' : 'EURUSD',
    direction: i % 3 ? 'buy' : 'sell',
    quantity: i === 1 ? null : 0.6,
    volume: 60_000,
    entryTime: i === 2 ? null : Date.UTC(2025, 0, 1) + i * 3_600_000,
    exitTime: Date.UTC(2025, 0, 1) + i * 3_600_000 + 60_000,
    entryPrice: 1.08123,
    exitPrice: 42_000.5,
    gross: 12.34,
    commission: i === 3 ? null : -0.6,
    swap: -0.01,
    net: 11.73,
    pips: -3.5,
    balanceAfter: 10_104.73 + i,
    label: i === 4 ? 'tab\there\nnew line \\ back' : i === 5 ? null : 'bot €',
    closeReason: i % 2 ? 'stop_loss' : 'take_profit',
    stops: i === 0 ? [{ time: Date.UTC(2025, 0, 1, 0, 5), stopLoss: 1.07, takeProfit: null }] : null,
    metadata: i === 6 ? { Comment: 'x', 'Extra column': '12' } : {},
  }));
}
