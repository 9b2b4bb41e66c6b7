import { SummaryAccumulator } from '../../lib/domain/ingest/summary.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPgliteStore } from '../../lib/adapters/pglite-store.js';
import { openPostgresStore } from '../../lib/adapters/postgres-store.js';
import { CLOSE_REASONS } from '../../lib/domain/trade.js';
import { emptyTradeColumns, type TradeColumns } from '../../lib/domain/trade-columns.js';
import type { BacktestRecord, Store } from '../../lib/ports/store.js';
import { runQuery } from '../../lib/query/run-query.js';
import { seededRandom } from '../../lib/domain/random.js';
import type { BenchResult } from './measure.js';

/**
 * Questions over one backtest of 1M trades, answered through `runQuery` (plan, SQL, compose; no
 * vectors, no model), on PGlite and on Postgres. Trades are generated as columns with the History CSV
 * generator's patterns and written with store.saveBacktest (the ingest pipeline's own write).
 *   node --import tsx scripts/bench/query.ts [trades] [pglite|postgres|both]
 * Postgres: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a scratch
 * database is created and dropped.
 */

const SYMBOLS = [
  { symbol: 'EURUSD', price: 1.085, pip: 0.0001, pipValue: 9.2, lots: [0.1, 0.2, 0.5, 1] },
  { symbol: 'GBPUSD', price: 1.27, pip: 0.0001, pipValue: 9.2, lots: [0.1, 0.3, 0.5] },
  { symbol: 'US30', price: 39_000, pip: 1, pipValue: 0.92, lots: [0.5, 1, 2] },
  { symbol: 'XAUUSD', price: 2_300, pip: 0.01, pipValue: 0.92, lots: [0.1, 0.2] },
];

const QUESTIONS = [
  'EURUSD shorts after 21:00 UTC in 2025',
  'What is my net profit?',
  'Win rate by hour',
  'Which days should I avoid?',
  'Max drawdown and when',
  'Longest losing streak',
];

/** Trades over 2025 with the sample's patterns (Friday and late EURUSD shorts lose, 13-17 UTC wins). */
export async function* generateTrades(count: number, seed = 42, batch = 50_000): AsyncGenerator<TradeColumns> {
  const random = seededRandom(seed);
  const gap = (330 * 86_400_000) / count;
  let t = Date.UTC(2025, 0, 2, 7);
  let balance = 10_000;
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const c = emptyTradeColumns(n, 'bench');
    for (let i = 0; i < n; i++) {
      t += gap * (0.2 + 1.6 * random());
      let entry = Math.round(t);
      const wd = new Date(entry).getUTCDay();
      if (wd === 0 || wd === 6) entry += (wd === 6 ? 2 : 1) * 86_400_000;
      const inst = SYMBOLS[Math.floor(random() * SYMBOLS.length)]!;
      const sell = random() < 0.5;
      const hour = new Date(entry).getUTCHours();
      let p = new Date(entry).getUTCDay() === 5 ? 0.36 : 0.56;
      if (hour >= 13 && hour < 17) p += 0.08;
      if (inst.symbol === 'EURUSD' && sell && hour >= 21) p = 0.25;
      const win = random() < p;
      const pips = Math.round((win ? 1 : -1) * (5 + random() * 40) * 100) / 100;
      const lots = inst.lots[Math.floor(random() * inst.lots.length)]!;
      const gross = Math.round(pips * inst.pipValue * lots * 100) / 100;
      const commission = -Math.round(lots * 700) / 100;
      const net = Math.round((gross + commission) * 100) / 100;
      balance = Math.round((balance + net) * 100) / 100;
      const k = start + i + 1;
      c.line[i] = k + 1;
      c.sourceId[i] = String(k);
      c.symbol[i] = inst.symbol;
      c.direction[i] = sell ? 1 : 0;
      c.quantity[i] = lots;
      c.volume[i] = lots * 100_000;
      c.entryTime[i] = entry;
      c.exitTime[i] = entry + Math.round(60_000 * (5 + random() * (win ? 240 : 600)));
      c.entryPrice[i] = inst.price;
      c.exitPrice[i] = inst.price + (sell ? -1 : 1) * pips * inst.pip;
      c.gross[i] = gross;
      c.commission[i] = commission;
      c.swap[i] = 0;
      c.net[i] = net;
      c.pips[i] = pips;
      c.balanceAfter[i] = balance;
      c.label[i] = 'Bench';
      c.closeReason[i] = CLOSE_REASONS.indexOf('unknown');
      c.stops[i] = null;
      c.metadata[i] = null;
    }
    yield c;
  }
}

async function load(store: Store, id: string, trades: number): Promise<number> {
  const started = performance.now();
  // The summary validate writes while it streams the trades in, as a real ingest would.
  const accumulator = new SummaryAccumulator();
  async function* summarised() {
    for await (const batch of generateTrades(trades)) {
      accumulator.add(batch, new Uint8Array(batch.length).fill(1));
      yield batch;
    }
  }
  const record = (written: number): BacktestRecord => ({
    id, name: `bench ${trades}`, sourceKind: 'bench', accountCurrency: 'EUR', startingBalance: 10_000, periodStart: Date.UTC(2025, 0, 2),
    periodEnd: Date.UTC(2025, 11, 31), symbols: SYMBOLS.map((s) => s.symbol), timeframe: null, parameters: {}, costModel: null,
    summary: accumulator.finish({ startingBalance: 10_000, accountCurrency: 'EUR', depositDigits: 2 }),
    rollups: accumulator.rollups(),
    issues: {}, context: {}, tradeCount: written,
  });
  await store.saveBacktest(id, [], summarised(), record);
  return (performance.now() - started) / 1000;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function timeQuestions(store: Store, id: string, label: string, target: string, runs: number): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const question of QUESTIONS) {
    for (let i = 0; i < 2; i++) await runQuery({ store }, { question, backtestId: id, mode: 'answer', k: 5 });
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await runQuery({ store }, { question, backtestId: id, mode: 'answer', k: 5 });
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    out.push({ name: `${label}: "${question}" p95 (p50 ${Math.round(percentile(ms, 0.5))} ms, ${runs} runs)`, value: Math.round(percentile(ms, 0.95)), unit: 'ms', target });
  }
  return out;
}

export async function run(trades = Number(process.env.BENCH_QUERY_TRADES ?? 1_000_000), which = process.env.BENCH_QUERY_STORES ?? 'both'): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const runs = Number(process.env.BENCH_QUERY_RUNS ?? 20);
  const label = `${(trades / 1e6).toString()}M trades`;
  if (which === 'both' || which === 'pglite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-query-'));
    const store = await openPgliteStore({ dataDir: path.join(dir, 'pglite') });
    try {
      const loadS = await load(store, 'bench', trades);
      results.push({ name: `load ${label} into PGlite (saveBacktest)`, value: Math.round(loadS * 10) / 10, unit: 's' });
      results.push(...(await timeQuestions(store, 'bench', `PGlite, ${label}`, '≤ 500 ms', runs)));
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (which === 'both' || which === 'postgres') {
    const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const db = `trading_ai_bench_query_${Date.now()}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`create database ${db}`);
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${db}`;
    const store = await openPostgresStore(u.toString());
    try {
      const loadS = await load(store, 'bench', trades);
      await store.query('analyze trades');
      results.push({ name: `load ${label} into Postgres (saveBacktest)`, value: Math.round(loadS * 10) / 10, unit: 's' });
      results.push(...(await timeQuestions(store, 'bench', `Postgres, ${label}`, '≤ 200 ms', runs)));
    } finally {
      await store.close();
      const a = new pg.Client({ connectionString: server });
      await a.connect();
      await a.query(`drop database if exists ${db} with (force)`);
      await a.end();
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await run(process.argv[2] ? Number(process.argv[2]) : undefined, process.argv[3]);
  for (const r of results) process.stdout.write(`${r.name}: ${r.value} ${r.unit}${r.target ? ` (target ${r.target})` : ''}\n`);
}
