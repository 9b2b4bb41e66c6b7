import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_REASONS, DIRECTIONS } from '../domain/trade.js';
import { emptyTradeColumns, type TradeColumns } from '../domain/trade-columns.js';
import type { Embedder } from '../ports/embedder.js';
import type { Llm } from '../ports/llm.js';
import type { BacktestRecord, Store } from '../ports/store.js';
import type { Chunk, ScoredChunk, VectorFilter, VectorStore } from '../ports/vector-store.js';
import { AppError } from '../runtime/errors.js';
import { writeHistoryCsv } from '../../scripts/generators/history-csv.js';
import { loadHistoryCsv } from '../../tests/support/history-backtest.js';
import { freshPgliteStore } from '../../tests/support/stores.js';
import { rowObjects } from './facts.js';
import { parseQuestion } from './parse-plan.js';
import { makePlan } from './plan-schema.js';
import { runQuery, type QueryResult } from './run-query.js';
import { buildAggregateQuery } from './sql-builder.js';
import { checkNumbers } from './verify-numbers.js';

const answer = (r: QueryResult) => {
  if (r.mode !== 'answer') throw new Error('expected an answer');
  return r;
};

/** A model that proposes the parser's own plan and writes prose from the first facts row. */
class HonestLlm implements Llm {
  readonly model = 'fake:honest';
  calls: string[] = [];
  async complete(prompt: { system: string; user: string; json?: boolean }): Promise<string> {
    this.calls.push(prompt.json ? 'plan' : 'prose');
    if (prompt.json) {
      const ctx = { symbols: ['EURUSD', 'GBPUSD', 'US30', 'XAUUSD'], periodStart: null, periodEnd: null };
      return '```json\n' + JSON.stringify(parseQuestion(prompt.user, ctx).plan) + '\n```';
    }
    const facts = JSON.parse(prompt.user.slice(prompt.user.indexOf('FACTS (JSON): ') + 14)) as { columns: string[]; rows: unknown[][] };
    const net = facts.rows[0]![facts.columns.indexOf('net')];
    return `You made ${Number(net).toLocaleString('en-US', { minimumFractionDigits: 2 })} over ${facts.rows[0]![facts.columns.indexOf('trades')]} trades.`;
  }
}

/** A model whose plan is not JSON and whose prose invents a number. */
class InventiveLlm implements Llm {
  readonly model = 'fake:inventive';
  async complete(prompt: { json?: boolean }): Promise<string> {
    return prompt.json ? 'I think you want the net profit!' : 'You made 9,876.54 EUR, a record.';
  }
}

/** An embedder and vector store over a fixed set of chunks (cosine on tiny hashed vectors). */
function fakeRetrieval(chunks: Chunk[]): { embedder: Embedder; vectors: VectorStore; searches: VectorFilter[] } {
  const dim = 16;
  const embed = (text: string) => {
    const v = new Float32Array(dim);
    for (const w of text.toLowerCase().split(/\W+/)) if (w) { const j = [...w].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % dim; v[j] = v[j]! + 1; }
    const len = Math.hypot(...v) || 1;
    return v.map((x) => x / len);
  };
  const searches: VectorFilter[] = [];
  const embedder: Embedder = { model: 'fake-hash', dimension: dim, embed: async (texts) => texts.map(embed) };
  const vectors = {
    kind: 'pgvector',
    async search(q: Float32Array, filter: VectorFilter, k: number): Promise<ScoredChunk[]> {
      searches.push(filter);
      return chunks
        .filter((c) => c.backtestId === filter.backtestId && (!filter.kinds || filter.kinds.includes(c.kind)))
        .map((c) => ({ ...c, score: embed(c.text).reduce((s, x, i) => s + x * q[i]!, 0) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
    },
  } as unknown as VectorStore;
  return { embedder, vectors, searches };
}

describe('query: answers, the model guard and evidence', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'query-'));
    const csv = path.join(dir, 'h.csv');
    await writeHistoryCsv(csv, { trades: 600, seed: 3 });
    store = await freshPgliteStore();
    await loadHistoryCsv(store, csv, 'bt');
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers without a model: composed prose, model "none", every number in it among the facts', async () => {
    const r = answer(await runQuery({ store }, { question: 'net profit of EURUSD shorts', mode: 'answer', k: 5 }));
    expect(r.model).toBe('none');
    expect(r.planSource).toBe('parser');
    expect(checkNumbers(r.answer, r.facts)).toEqual({ ok: true, unmatched: [] });
    expect(r.evidence.status).toBe('not_configured');
    expect(r.notes.join(' ')).toMatch(/evidence retrieval is unavailable \(no vector store is configured\)/);
  });

  it('uses a well-behaved model for the plan and the prose', async () => {
    const llm = new HonestLlm();
    const r = answer(await runQuery({ store, llm }, { question: 'net profit of EURUSD shorts', mode: 'answer', k: 5 }));
    expect(llm.calls).toEqual(['plan', 'prose']);
    expect(r).toMatchObject({ planSource: 'llm', model: 'fake:honest' });
    expect(r.answer).toMatch(/^You made [\d,.-]+ over \d+ trades\.$/);
    expect(r.notes).toEqual([expect.stringMatching(/evidence retrieval is unavailable/)]);
  });

  it('falls back to the parser for an unusable plan and to composed prose when the model invents a number', async () => {
    const r = answer(await runQuery({ store, llm: new InventiveLlm() }, { question: 'net profit of EURUSD shorts', mode: 'answer', k: 5 }));
    expect(r.planSource).toBe('parser');
    expect(r.model).toBe('none');
    expect(r.answer).not.toContain('9,876.54');
    expect(r.answer).toMatch(/^Net profit /);
    expect(r.notes.join('\n')).toMatch(/no JSON object[\s\S]*stated 9,876.54, which the facts do not hold/);
  });

  it('rejects a model plan that fails the schema (an unknown column)', async () => {
    const llm: Llm = { model: 'fake:sql', complete: async (p) => (p.json ? JSON.stringify({ intent: 'aggregate', metrics: ['net'], groupBy: 'backtest_id; drop table trades' }) : 'ok') };
    const r = answer(await runQuery({ store, llm }, { question: 'net profit', mode: 'answer', k: 5 }));
    expect(r.planSource).toBe('parser');
    expect(r.notes[0]).toMatch(/failed validation: groupBy/);
  });

  it('still answers when the vector store is unavailable, and says why', async () => {
    const vectors = { kind: 'chroma', search: async () => Promise.reject(new AppError('unavailable', 'Chroma at http://chroma:8000 does not answer')) } as unknown as VectorStore;
    const { embedder } = fakeRetrieval([]);
    const r = answer(await runQuery({ store, vectors, embedder }, { question: 'win rate by weekday', mode: 'answer', k: 5 }));
    expect(r.facts.rows.length).toBeGreaterThan(0);
    expect(r.evidence).toEqual({ status: 'unavailable', note: expect.stringContaining('Chroma at http://chroma:8000 does not answer') });
  });

  it('cites the closest chunks, always filtered by the backtest id', async () => {
    const chunk = (id: string, backtestId: string, text: string): Chunk => ({ id, backtestId, kind: 'daily', text, from: null, to: null, symbol: null, tradeIds: [], metadata: {} });
    const fake = fakeRetrieval([chunk('day:1', 'bt', 'Friday losses on EURUSD'), chunk('day:2', 'other', 'Friday losses on EURUSD')]);
    const r = answer(await runQuery({ store, ...fake }, { question: 'Friday losses on EURUSD', mode: 'answer', k: 3 }));
    expect(r.citations.chunks.map((c) => c.id)).toEqual(['day:1']);
    expect(fake.searches.every((f) => f.backtestId === 'bt')).toBe(true);
  });

  it('finds semantic neighbours of a trade from its own chunk text', async () => {
    const trade = (id: string, text: string): Chunk => ({ id: `trade:${id}`, backtestId: 'bt', kind: 'trade', text, from: null, to: null, symbol: null, tradeIds: [id], metadata: {} });
    const fake = fakeRetrieval([trade('5', 'Trade 5: sell EURUSD Friday evening loss'), trade('6', 'Trade 6: buy US30 morning win'), trade('7', 'Trade 7: sell EURUSD Friday night loss')]);
    const r = answer(await runQuery({ store, ...fake }, { question: 'trades like #5', mode: 'answer', k: 2 }));
    expect(r.evidence.status).toBe('ok');
    expect(r.facts.columns).toContain('similarity');
    expect(rowObjects(r.facts).map((x) => x.trade_id)).not.toContain('5');
    expect(r.citations.trades[0]!.id).toBe('5');
  });

  it('never puts question text into SQL: values are bound parameters and every statement is scoped', () => {
    const evil = "EURUSD'; drop table trades; --";
    const q = buildAggregateQuery('bt', makePlan({ intent: 'aggregate', metrics: ['net'], groupBy: 'hour', filters: { symbols: ['EURUSD'] }, zone: 'Europe/London' }), ['n', 'net']);
    expect(q.sql).toMatch(/where backtest_id = \$1 and symbol = any\(\$\d+::text\[\]\)/);
    expect(q.params).toEqual(['bt', 'Europe/London', ['EURUSD']]);
    expect(() => makePlan({ intent: 'aggregate', metrics: ['net'], filters: { symbols: [evil] } })).toThrow(/symbol/);
    expect(() => makePlan({ intent: 'aggregate', metrics: ['net'], zone: "UTC'; --" })).toThrow(/zone/);
  });

  it('answers not_found for a backtest id that does not exist', async () => {
    await expect(runQuery({ store }, { question: 'net', backtestId: 'nope', mode: 'answer', k: 5 })).rejects.toMatchObject({ code: 'not_found' });
  });
});

function columns(n: number, fill: (c: TradeColumns, i: number) => void): TradeColumns {
  const c = emptyTradeColumns(n, 'synthetic');
  for (let i = 0; i < n; i++) {
    c.line[i] = i + 1;
    c.sourceId[i] = String(i + 1);
    c.symbol[i] = 'EURUSD';
    c.quantity[i] = 1;
    c.volume[i] = 100_000;
    c.gross[i] = NaN;
    c.commission[i] = NaN;
    c.swap[i] = NaN;
    c.pips[i] = NaN;
    c.balanceAfter[i] = NaN;
    c.label[i] = null;
    c.stops[i] = null;
    c.metadata[i] = null;
    c.closeReason[i] = CLOSE_REASONS.indexOf('signal');
    fill(c, i);
  }
  return c;
}

async function save(store: Store, id: string, c: TradeColumns): Promise<void> {
  const record: BacktestRecord = {
    id, name: id, sourceKind: 'test', accountCurrency: 'USD', startingBalance: 10_000, periodStart: c.exitTime[0]!, periodEnd: c.exitTime[c.length - 1]!,
    symbols: ['EURUSD'], timeframe: null, parameters: {}, costModel: null, summary: {}, issues: {}, context: {}, tradeCount: c.length,
  };
  async function* one() {
    yield c;
  }
  await store.saveBacktest(id, [], one(), () => record);
}

describe('query: data the source lacks, and insights', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshPgliteStore();
    const t0 = Date.UTC(2025, 0, 6, 9);
    // No entry times (an Account History export keeps only closing times).
    await save(store, 'no-entry', columns(40, (c, i) => {
      c.entryTime[i] = NaN;
      c.exitTime[i] = t0 + i * 3_600_000;
      c.direction[i] = i % 2;
      c.net[i] = i % 3 === 0 ? -20 : 15;
    }));
    // With stop history: buys at 1.1000, a 20-pip stop; winners trail the stop into profit.
    await save(store, 'stops', columns(120, (c, i) => {
      const win = i % 3 !== 0;
      c.direction[i] = DIRECTIONS.indexOf('buy');
      c.entryTime[i] = t0 + i * 7_200_000;
      c.exitTime[i] = t0 + i * 7_200_000 + 3_600_000;
      c.entryPrice[i] = 1.1;
      c.exitPrice[i] = win ? 1.1030 : 1.098;
      c.pips[i] = win ? 30 : -20;
      c.net[i] = win ? 30 : -20;
      c.closeReason[i] = CLOSE_REASONS.indexOf(win ? 'take_profit' : 'stop_loss');
      const stops = [{ time: c.entryTime[i]!, stopLoss: 1.098, takeProfit: 1.103 }];
      if (win) stops.push({ time: c.entryTime[i]! + 1_800_000, stopLoss: 1.1005, takeProfit: 1.103 });
      c.stops[i] = JSON.stringify(stops);
    }));
  }, 60_000);
  afterAll(async () => store?.close());

  it('declines durations when the source has no entry times, and says what can be asked', async () => {
    const r = answer(await runQuery({ store }, { question: 'average trade duration', backtestId: 'no-entry', mode: 'answer', k: 5 }));
    expect(r.answer).toMatch(/^This cannot be answered from this data: the source has no entry times/);
    expect(r.answer).toMatch(/You can ask about/);
    const ok = answer(await runQuery({ store }, { question: 'net profit', backtestId: 'no-entry', mode: 'answer', k: 5 }));
    expect(rowObjects(ok.facts)[0]).toMatchObject({ net: String(14 * -20 + 26 * 15) + '.00', trades: 40 });
  });

  it('reports stop-loss exits and MAE/MFE bounds with a suggested stop, saying they are approximated', async () => {
    const r = await runQuery({ store }, { backtestId: 'stops', mode: 'insights', k: 5 });
    if (r.mode !== 'insights') throw new Error('expected insights');
    const sl = r.closeReasons.find((x) => x.reason === 'stop_loss')!;
    expect(sl).toMatchObject({ trades: 40, sharePct: '33.33', averageNet: '-20.00' });
    expect(r.excursions).toEqual([
      expect.objectContaining({ symbol: 'EURUSD', unit: 'pips', trades: 120, winners: 80, losers: 40, initialStopP50: 20, maeLowerBoundLosersP50: 20, maeUpperBoundWinnersP90: 20, mfeLowerBoundWinnersP50: 30, suggestedStop: 20 }),
    ]);
    expect(r.notes.join(' ')).toMatch(/bounds estimated from stop history/);
    expect(r.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['stop_loss', 'excursion', 'streak']));
  });
});
