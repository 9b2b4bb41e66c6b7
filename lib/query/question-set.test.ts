import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../ports/store.js';
import { writeHistoryCsv } from '../../scripts/generators/history-csv.js';
import { executePlan } from './execute.js';
import { streakInsights } from './insights/streaks.js';
import { makePlan } from './plan-schema.js';
import { resolveBacktest } from './run-query.js';
import { loadHistoryCsv } from '../../tests/support/history-backtest.js';
import { freshPgliteStore } from '../../tests/support/stores.js';
import { rowObjects } from './facts.js';
import { runQuery, type QueryResult } from './run-query.js';

interface Question {
  id: string;
  question: string;
  expect: {
    intent?: string;
    rows?: Record<string, string | number | null>[];
    answerContains?: string[];
    tradeCitations?: string[];
    neighbours?: { symbol: string; direction: string; count: number };
    unanswerable?: boolean;
    harmless?: boolean;
  };
}

const fixtureFile = new URL('../../tests/fixtures/questions/questions.json', import.meta.url);

/** Why an answer is not exactly the expected one, or null when it is. */
function mismatch(q: Question, r: QueryResult): string | null {
  if (r.mode !== 'answer') return 'not an answer';
  const e = q.expect;
  if (e.unanswerable) {
    return r.answer.startsWith('This cannot be answered from this data') && r.facts.rows.length === 0 ? null : `expected "cannot be answered", got: ${r.answer.slice(0, 120)}`;
  }
  if (e.intent && r.plan.intent !== e.intent) return `intent ${r.plan.intent}, expected ${e.intent}`;
  if (e.rows) {
    const got = rowObjects(r.facts);
    if (got.length !== e.rows.length) return `${got.length} rows, expected ${e.rows.length}: ${JSON.stringify(got.slice(0, 3))}`;
    for (let i = 0; i < e.rows.length; i++) {
      for (const [k, v] of Object.entries(e.rows[i]!)) {
        if (String(got[i]![k]) !== String(v)) return `row ${i} ${k} = ${JSON.stringify(got[i]![k])}, expected ${JSON.stringify(v)}`;
      }
    }
  }
  for (const s of e.answerContains ?? []) if (!r.answer.includes(s)) return `answer lacks "${s}": ${r.answer.slice(0, 160)}`;
  for (const id of e.tradeCitations ?? []) if (!r.citations.trades.some((t) => t.id === id)) return `no citation of trade #${id}`;
  if (e.neighbours) {
    const rows = rowObjects(r.facts);
    if (rows.length !== e.neighbours.count) return `${rows.length} neighbours, expected ${e.neighbours.count}`;
    const off = rows.find((x) => x.symbol !== e.neighbours!.symbol || x.direction !== e.neighbours!.direction);
    if (off) return `neighbour #${off.trade_id} is ${off.symbol} ${off.direction}`;
  }
  return null;
}

describe('the question set: the questions with independently computed answers, no LLM', () => {
  let store: Store;
  let dir: string;
  let fixture: { fixture: { trades: number; seed: number; sha256: string }; questions: Question[] };

  beforeAll(async () => {
    fixture = JSON.parse(await readFile(fixtureFile, 'utf8'));
    dir = await mkdtemp(path.join(os.tmpdir(), 'questions-'));
    const csv = path.join(dir, 'questions.csv');
    await writeHistoryCsv(csv, { trades: fixture.fixture.trades, seed: fixture.fixture.seed });
    const sha = createHash('sha256').update(await readFile(csv)).digest('hex');
    if (sha !== fixture.fixture.sha256) throw new Error('the generated fixture CSV changed: regenerate the expected answers (see scripts/reference/query_answers.py)');
    store = await freshPgliteStore();
    // A second backtest with the same trades: an unscoped query would count double.
    await loadHistoryCsv(store, csv, 'other');
    await loadHistoryCsv(store, csv, 'questions');
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers every question exactly right (the bar is 95 %; all pass today, so any miss is a regression), stays scoped, and changes nothing', async () => {
    const failures: string[] = [];
    for (const q of fixture.questions) {
      let reason: string | null;
      try {
        reason = mismatch(q, await runQuery({ store }, { question: q.question, backtestId: 'questions', mode: 'answer', k: 5 }));
      } catch (err) {
        reason = `threw ${(err as Error).message}`;
      }
      if (reason) failures.push(`${q.id} ("${q.question}"): ${reason}`);
    }
    const right = fixture.questions.length - failures.length;
    const pct = (100 * right) / fixture.questions.length;
    console.log(`question set: ${right}/${fixture.questions.length} exactly right (${pct.toFixed(1)} %)${failures.length ? `\nfailures:\n  ${failures.join('\n  ')}` : ''}`);
    expect(fixture.questions.length).toBeGreaterThanOrEqual(50);
    expect(pct).toBeGreaterThanOrEqual(95);
    expect(failures).toEqual([]);
    const counts = await store.query<{ backtest_id: string; n: number }>('select backtest_id, count(*)::int as n from trades group by 1 order by 1');
    expect(counts).toEqual([
      { backtest_id: 'other', n: fixture.fixture.trades },
      { backtest_id: 'questions', n: fixture.fixture.trades },
    ]);
  }, 120_000);

  it('gives the same whole-backtest drawdown and streaks from the ingest summary as from SQL', async () => {
    const bt = await resolveBacktest(store, 'questions');
    expect(bt.summary?.streaks).toBeTruthy();
    const plan = makePlan({ intent: 'aggregate', metrics: ['max_drawdown', 'max_consecutive_wins', 'max_consecutive_losses'] });
    const fromSummary = await executePlan(store, bt, plan);
    const fromSql = await executePlan(store, { ...bt, summary: null }, plan);
    expect(fromSummary.facts).toEqual(fromSql.facts);
    expect(fromSummary.facts.rows).toHaveLength(1);
  });

  it('gives the same streak insight from the ingest summary as from SQL', async () => {
    const bt = await resolveBacktest(store, 'questions');
    const fromSummary = await streakInsights(store, bt);
    expect(fromSummary.summary.longestLoss.trades).toBeGreaterThan(0);
    expect(fromSummary).toEqual(await streakInsights(store, { ...bt, summary: null }));
  });

  it.each([null, 'weekday', 'day', 'month', 'year', 'hour', 'session'] as const)(
    'gives the same facts from the per-day and per-hour rollups as from the trades, grouped by %s',
    async (groupBy) => {
      const bt = await resolveBacktest(store, 'questions');
      expect(bt.hasRollups).toBe(true);
      const metrics = ['count', 'net', 'gross_profit', 'gross_loss', 'win_rate', 'profit_factor', 'average_trade', 'average_win', 'average_loss', 'largest_win'] as const;
      for (const plan of [
        makePlan({ intent: 'aggregate', metrics: [...metrics], groupBy }),
        makePlan({ intent: 'aggregate', metrics: ['largest_loss', 'commission', 'swap'], groupBy }),
        makePlan({ intent: 'avoid', metrics: ['net'], groupBy: groupBy ?? 'weekday' }),
      ]) {
        const fromRollups = await executePlan(store, bt, plan);
        const fromTrades = await executePlan(store, { ...bt, hasRollups: false }, plan);
        expect(fromRollups.facts).toEqual(fromTrades.facts);
        expect(fromRollups.facts.rows.length).toBeGreaterThan(0);
      }
    },
  );
});
