/**
 * Embedding and retrieval. Run alone: `node --import tsx scripts/bench/embed-retrieval.ts [chunks]`.
 *   1. Chunking: synthetic trades -> trade, daily, weekly and pattern chunks (the embed stage's first step).
 *   2. The local embedder over 100,000 of those chunk texts (target: 10 s).
 *   3. pgvector on PGlite: the 100,000 chunks loaded, the HNSW index built over them, then 100
 *      questions, top-10 within the backtest, p50 and p95 (target: 50 ms), with recall@10 against an
 *      exact scan; and what one more chunk costs to write while the index is maintained.
 */
import { pathToFileURL } from 'node:url';
import { LocalEmbedder } from '../../lib/adapters/local-embedder.js';
import { openPgliteDriver } from '../../lib/adapters/pglite-store.js';
import { HNSW_PARAMS, PgvectorStore, vectorTable } from '../../lib/adapters/pgvector-store.js';
import { SqlStore } from '../../lib/adapters/sql/sql-store.js';
import { buildChunks } from '../../lib/domain/chunks/index.js';
import { tradesToColumns } from '../../lib/domain/trade-columns.js';
import { CLOSE_REASONS, type SourcedTrade } from '../../lib/domain/trade.js';
import type { Chunk } from '../../lib/ports/vector-store.js';
import type { BenchResult } from './measure.js';

const BACKTEST = 'bench-backtest';
const QUESTIONS = 100;
const SYMBOLS = ['EURUSD', 'GBPUSD', 'USDJPY', 'US30', 'XAUUSD', 'GER40'];
const REASONS = CLOSE_REASONS.filter((r) => r !== 'unknown');

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A bot's year or more of trades: a few minutes to a day long, mostly small wins and losses. */
export function syntheticTrades(n: number, seed = 7): SourcedTrade[] {
  const rnd = lcg(seed);
  let t = Date.UTC(2024, 0, 1, 7);
  let balance = 100_000;
  return Array.from({ length: n }, (_, i) => {
    t += Math.floor(rnd() * 40 + 1) * 60_000;
    const held = Math.floor(rnd() ** 3 * 1_440 + 1) * 60_000;
    const win = rnd() < 0.48;
    const net = Math.round((win ? rnd() * 120 : -rnd() * 100) * 100) / 100;
    balance += net;
    return {
      file: 'bench.csv',
      line: i + 2,
      sourceId: String(5_000_000 + i),
      symbol: SYMBOLS[Math.floor(rnd() * SYMBOLS.length)]!,
      direction: rnd() < 0.5 ? 'buy' : 'sell',
      quantity: Math.round(rnd() * 20 + 1) / 10,
      volume: null,
      entryTime: t,
      exitTime: t + held,
      entryPrice: 1 + rnd(),
      exitPrice: 1 + rnd(),
      gross: net + 1.5,
      commission: -1.5,
      swap: 0,
      net,
      pips: Math.round((rnd() - 0.5) * 400) / 10,
      balanceAfter: Math.round(balance * 100) / 100,
      label: 'BenchBot',
      closeReason: win ? 'take_profit' : REASONS[Math.floor(rnd() * REASONS.length)]!,
      stops: null,
      metadata: {},
    };
  });
}

const QUESTION_PARTS = [
  ['losing trades', 'biggest losses', 'winning trades', 'stop loss exits', 'trades closed by take profit', 'revenge trades after a loss', 'losing streaks', 'stop-loss clusters', 'worst days', 'best week'],
  ['on Monday', 'on Friday afternoon', 'in the morning', 'at 14:00', 'in March', '', 'held more than 5 hours', 'after a losing trade'],
  ['EURUSD', 'US30', 'XAUUSD', 'gold', '', 'sell', 'buy'],
];

function questions(n: number): string[] {
  const rnd = lcg(99);
  const pick = (a: string[]) => a[Math.floor(rnd() * a.length)]!;
  return Array.from({ length: n }, () => QUESTION_PARTS.map(pick).filter(Boolean).join(' '));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function run(total = 100_000): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // Each result on stderr as it comes: the whole run takes minutes.
  const push = results.push.bind(results);
  results.push = (...rs: BenchResult[]) => {
    for (const r of rs) process.stderr.write(`  ${r.name}: ${r.value} ${r.unit}\n`);
    return push(...rs);
  };

  // 1. Chunking. About 0.8 chunks per trade come on top of the trade chunks (days, weeks, patterns).
  const trades = tradesToColumns(syntheticTrades(Math.ceil(total / 1.08)), 'bench.csv');
  let t = performance.now();
  const all = buildChunks({ backtestId: BACKTEST, accountCurrency: 'USD', trades });
  const chunkMs = performance.now() - t;
  const chunks: Chunk[] = all.slice(0, total);
  results.push({ name: `chunk ${trades.length.toLocaleString('en-US')} trades into ${all.length.toLocaleString('en-US')} chunks`, value: round(chunkMs / 1000, 2), unit: 's' });

  // 2. The local embedder, best of three.
  const embedder = new LocalEmbedder();
  const texts = chunks.map((c) => c.text);
  let vectors: Float32Array[] = [];
  let embedMs = Infinity;
  for (let r = 0; r < 3; r++) {
    t = performance.now();
    vectors = await embedder.embed(texts);
    embedMs = Math.min(embedMs, performance.now() - t);
  }
  const avgChars = Math.round(texts.reduce((s, x) => s + x.length, 0) / texts.length);
  results.push({ name: `local embedder (${embedder.model}, ${embedder.dimension} dims): ${total.toLocaleString('en-US')} chunks, ${avgChars} chars each on average`, value: round(embedMs / 1000, 2), unit: 's', target: '≤ 10 s' });

  // 3. pgvector on PGlite: bulk load without the index, then build it, as a first embed of a big backtest would cost without maintenance.
  const driver = await openPgliteDriver({});
  const store = await SqlStore.open(driver);
  try {
    const vs = await PgvectorStore.open(driver, embedder.dimension);
    const table = vectorTable(embedder.dimension);
    await driver.exec(`drop index ${table}_hnsw`);
    t = performance.now();
    for (let i = 0; i < chunks.length; i += 1_000) await vs.upsert(chunks.slice(i, i + 1_000), vectors.slice(i, i + 1_000), embedder.model);
    results.push({ name: `pgvector on PGlite: write ${total.toLocaleString('en-US')} chunks and vectors (no index)`, value: round((performance.now() - t) / 1000, 1), unit: 's' });
    t = performance.now();
    await driver.exec(`set maintenance_work_mem = '256MB'`);
    await driver.exec(`create index ${table}_hnsw on ${table} using hnsw (embedding vector_cosine_ops) with (${HNSW_PARAMS})`);
    results.push({ name: `pgvector on PGlite: build the HNSW index (${HNSW_PARAMS}) over ${total.toLocaleString('en-US')} vectors`, value: round((performance.now() - t) / 1000, 1), unit: 's' });

    const qs = await embedder.embed(questions(QUESTIONS));
    await vs.search(qs[0]!, { backtestId: BACKTEST }, 10, embedder.model); // warm-up
    const times: number[] = [];
    const answers: { ids: string[]; scores: number[] }[] = [];
    for (const q of qs) {
      t = performance.now();
      const hits = await vs.search(q, { backtestId: BACKTEST }, 10, embedder.model);
      times.push(performance.now() - t);
      answers.push({ ids: hits.map((h) => h.id), scores: hits.map((h) => h.score) });
    }
    times.sort((a, b) => a - b);
    results.push({ name: `top-10 retrieval over ${total.toLocaleString('en-US')} chunks (HNSW, ${QUESTIONS} questions), p50`, value: round(percentile(times, 50)), unit: 'ms', target: '≤ 50 ms' });
    results.push({ name: 'the same, p95', value: round(percentile(times, 95)), unit: 'ms', target: '≤ 50 ms' });

    // Recall@10 against an exact scan, on 20 of the questions, and how much closer the exact ten are.
    let found = 0;
    let annScore = 0;
    let exactScore = 0;
    for (let i = 0; i < 20; i++) {
      const literal = `[${Array.from(qs[i]!).join(',')}]`;
      const exact = await driver.query<{ id: string; d: number }>(
        `with m as materialized (select id, embedding <=> $1::vector(${embedder.dimension}) as d from ${table} where backtest_id = $2) select id, d from m order by d, id limit 10`,
        [literal, BACKTEST],
      );
      const truth = new Set(exact.map((r) => r.id));
      found += answers[i]!.ids.filter((id) => truth.has(id)).length;
      exactScore += exact.reduce((sum, r) => sum + 1 - Number(r.d), 0);
      annScore += answers[i]!.scores.reduce((sum, x) => sum + x, 0);
    }
    results.push({ name: 'recall@10 of that search against an exact scan (20 questions)', value: round(found / 200, 2), unit: 'fraction' });
    results.push({ name: 'mean cosine of its ten hits relative to the exact ten', value: round(annScore / exactScore, 3), unit: 'fraction' });

    const filtered: number[] = [];
    for (const q of qs.slice(0, 50)) {
      t = performance.now();
      await vs.search(q, { backtestId: BACKTEST, kinds: ['daily', 'weekly', 'pattern'] }, 10, embedder.model);
      filtered.push(performance.now() - t);
    }
    filtered.sort((a, b) => a - b);
    results.push({ name: 'top-10 among the summaries and patterns only (kinds filter), p50', value: round(percentile(filtered, 50)), unit: 'ms' });

    // Writing with the index in place: what the embed stage pays per chunk on a populated table.
    const extra = chunks.slice(0, 2_000).map((c) => ({ ...c, backtestId: `${BACKTEST}-2` }));
    t = performance.now();
    for (let i = 0; i < extra.length; i += 256) await vs.upsert(extra.slice(i, i + 256), vectors.slice(i, Math.min(i + 256, extra.length)), embedder.model);
    results.push({ name: `write with the HNSW index maintained (2,000 chunks into a ${total.toLocaleString('en-US')}-vector index), per chunk`, value: round((performance.now() - t) / extra.length, 2), unit: 'ms' });
  } finally {
    await store.close();
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 100_000);
  process.stdout.write(`${JSON.stringify(await run(n), null, 2)}\n`);
}
