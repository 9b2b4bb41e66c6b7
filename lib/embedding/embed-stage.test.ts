import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgliteDriver } from '../../tests/support/stores.js';
import { LocalEmbedder } from '../adapters/local-embedder.js';
import { PgvectorStore } from '../adapters/pgvector-store.js';
import { UnavailableVectorStore } from '../adapters/unavailable-vector-store.js';
import type { SqlStore } from '../adapters/sql/sql-store.js';
import { tradesToColumns } from '../domain/trade-columns.js';
import type { SourcedTrade } from '../domain/trade.js';
import type { Embedder } from '../ports/embedder.js';
import type { VectorStore } from '../ports/vector-store.js';
import { AppError } from '../runtime/errors.js';
import type { FnContext } from '../runtime/handler.js';
import { silentLogger } from '../runtime/logger.js';
import type { Ports } from '../runtime/ports.js';
import { runEmbed } from './embed-stage.js';

const BT = 'bt-embed';
const HOUR = 3_600_000;
const start = Date.UTC(2025, 2, 3, 8);

function trades(n: number): SourcedTrade[] {
  return Array.from({ length: n }, (_, i) => ({
    file: 'h.csv',
    line: i + 2,
    sourceId: String(1000 + i),
    symbol: i % 3 ? 'EURUSD' : 'US30',
    direction: i % 2 ? 'sell' : 'buy',
    quantity: 0.1,
    volume: 10_000,
    entryTime: start + i * HOUR,
    exitTime: start + i * HOUR + 40 * 60_000,
    entryPrice: 1.08,
    exitPrice: 1.081,
    gross: null,
    commission: null,
    swap: null,
    net: i % 4 === 0 ? 25 : -10,
    pips: null,
    balanceAfter: null,
    label: null,
    closeReason: i % 4 === 0 ? 'take_profit' : 'stop_loss',
    stops: null,
    metadata: {},
  }));
}

/** Counts what it is asked to embed. */
class CountingEmbedder implements Embedder {
  readonly inner = new LocalEmbedder();
  readonly model = this.inner.model;
  readonly dimension = this.inner.dimension;
  texts = 0;
  async embed(texts: string[]) {
    this.texts += texts.length;
    return this.inner.embed(texts);
  }
}

/** Fails the n-th upsert as a service outage would (retryable). */
function failingOnUpsert(inner: VectorStore, n: number): VectorStore {
  let calls = 0;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'upsert') {
        return async (...args: Parameters<VectorStore['upsert']>) => {
          if (++calls === n) throw new AppError('unavailable', 'vector store went away');
          return target.upsert(...args);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

describe('embed stage', () => {
  let store: SqlStore;
  let pgvector: PgvectorStore;
  const context = (ports: Partial<Ports>): FnContext => ({
    ports: { store, embedder: new LocalEmbedder(), vectors: pgvector, llm: null, ...ports } as Ports,
    config: {} as FnContext['config'],
    log: silentLogger(),
    metrics: {} as FnContext['metrics'],
    emit: async () => undefined,
    signal: new AbortController().signal,
    now: () => new Date(),
  });

  beforeAll(async () => {
    const opened = await freshPgliteDriver();
    store = opened.store;
    pgvector = await PgvectorStore.open(opened.driver, 384);
    async function* batches() {
      yield tradesToColumns(trades(300), 'h.csv');
    }
    await store.saveBacktest(BT, [], batches(), (n) => ({
      id: BT,
      name: 'embed test',
      sourceKind: 'ctrader-history-csv',
      accountCurrency: 'USD',
      startingBalance: 10_000,
      periodStart: null,
      periodEnd: null,
      symbols: ['EURUSD', 'US30'],
      timeframe: null,
      parameters: {},
      costModel: null,
      summary: {},
      issues: {},
      context: {},
      tradeCount: n,
    }));
  });
  afterAll(async () => {
    await store?.close();
  });

  it('resumes after a failure mid-way: the retry embeds only what was not stored, and the job ends succeeded', async () => {
    const first = new CountingEmbedder();
    await expect(runEmbed({ backtestId: BT }, context({ embedder: first, vectors: failingOnUpsert(pgvector, 5) }))).rejects.toThrow('vector store went away');
    expect((await store.getJob(`embed-${BT}`))!.status).toBe('running');
    const stored = await pgvector.count(BT);
    expect(stored).toBe(256);

    const retry = new CountingEmbedder();
    const res = await runEmbed({ backtestId: BT }, context({ embedder: retry }));
    const body = res.body as any;
    expect(body.status).toBe('embedded');
    expect(body.result).toMatchObject({ backtestId: BT, model: 'local-hash-v1', vectorStore: 'pgvector', skipped: 256 });
    expect(body.result.byKind).toMatchObject({ trade: 300 });
    expect(retry.texts).toBe(body.result.chunks - 256);
    expect(await pgvector.count(BT)).toBe(body.result.chunks);
    const job = await store.getJob(`embed-${BT}`);
    expect(job).toMatchObject({ kind: 'embed', status: 'succeeded', progress: { done: body.result.chunks, total: body.result.chunks, unit: 'chunks' } });

    // Finished with this model and store: a third run answers from the job and embeds nothing.
    const third = new CountingEmbedder();
    const again = (await runEmbed({ backtestId: BT }, context({ embedder: third }))).body as any;
    expect(again).toMatchObject({ status: 'already embedded', result: body.result });
    expect(third.texts).toBe(0);

    // A job not recorded as finished checks what is stored, and here finds nothing left to embed.
    await store.updateJob(`embed-${BT}`, { status: 'failed' });
    const fourth = new CountingEmbedder();
    expect(((await runEmbed({ backtestId: BT }, context({ embedder: fourth }))).body as any).result).toMatchObject({ embedded: 0, skipped: body.result.chunks });
    expect(fourth.texts).toBe(0);
  });

  it('finds what it stored: a question about stop losses on US30 retrieves US30 stop-loss chunks', async () => {
    const e = new LocalEmbedder();
    const [q] = await e.embed(['trades on US30 closed by stop loss']);
    const hits = await pgvector.search(q!, { backtestId: BT, kinds: ['trade'] }, 5, e.model);
    expect(hits).toHaveLength(5);
    for (const h of hits) expect(h.text).toMatch(/US30.*Closed by stop loss/);
  });

  it('rebuilds from scratch when asked', async () => {
    const counting = new CountingEmbedder();
    const body = (await runEmbed({ backtestId: BT, rebuild: true }, context({ embedder: counting }))).body as any;
    expect(body.result.skipped).toBe(0);
    expect(counting.texts).toBe(body.result.chunks);
  });

  it('fails the job, without a retry, when the vector store cannot work here', async () => {
    const reason = 'pgvector is not installed on the Postgres at DATABASE_URL (h:5432/db): install the extension (the cluster image ships it) or set CHROMA_URL';
    const res = await runEmbed({ backtestId: BT, jobId: 'embed-job-x' }, context({ vectors: new UnavailableVectorStore('pgvector', reason) }));
    expect(res.status ?? 200).toBe(200);
    expect(res.body).toMatchObject({ jobId: 'embed-job-x', status: 'failed', error: { code: 'unavailable', message: reason } });
    expect(await store.getJob('embed-job-x')).toMatchObject({ status: 'failed', error: { code: 'unavailable', message: reason } });
  });

  it('fails the job for a backtest that does not exist', async () => {
    const res = await runEmbed({ backtestId: 'nope' }, context({}));
    expect(res.body).toMatchObject({ status: 'failed', error: { code: 'not_found', message: 'no backtest nope' } });
  });
});
