import type { Chunk, ChunkKind, ScoredChunk, VectorFilter, VectorStore } from '../ports/vector-store.js';
import { AppError } from '../runtime/errors.js';
import type { SqlDriver, SqlQueryable } from './sql/driver.js';
import { toIso, toJson } from './sql/rows.js';

/** Serialises the vector DDL across processes opening the same database at once. */
const DDL_LOCK_KEY = 727_461_002;
/**
 * Graph degree and build effort of the HNSW index. pgvector's defaults (16, 64) cost about 3 ms per
 * inserted vector in PGlite; these cost about half that for the same recall@10 on our chunk texts
 * (measured in scripts/bench/embed-retrieval.ts).
 */
export const HNSW_PARAMS = 'm = 12, ef_construction = 40';
/** At most this many candidate rows are scanned exactly rather than through the index. */
const EXACT_MAX = 1_000;
/** Graph nodes a filtered HNSW search visits before the exact scan takes over (pgvector's default: 20,000). */
const MAX_SCAN_TUPLES = 5_000;
/** Most results one search returns. */
const MAX_K = 1_000;

export interface PgvectorOptions {
  /** Where the database is (`host:port/db`, no password), for error messages; Postgres only. */
  address?: string;
  /**
   * Candidates the HNSW search keeps (pgvector's `hnsw.ef_search`, default 40 there). Our chunk
   * vectors sit close together, so 40 misses too many true neighbours; 200 is the default here.
   */
  efSearch?: number;
}

/**
 * Vectors in the system-of-record database: pgvector bundled in PGlite, or the extension on a
 * Postgres server. Chunk texts live in the `chunks` table (a migration); the vectors live in
 * `chunk_vectors_<dimension>`, created here on open with an HNSW index (cosine), and deleted with
 * their chunk by a cascading foreign key. A search walks the HNSW index with pgvector's iterative
 * scan so the backtest/kind/symbol filters still fill k results; when the index cannot (fewer
 * matches than k, or the matches sit beyond the scan limit) it falls back to an exact scan.
 */
export class PgvectorStore implements VectorStore {
  readonly kind = 'pgvector' as const;
  private readonly table: string;
  /** Rows written since the planner statistics were last refreshed, and the total then (PGlite only). */
  private writtenSinceAnalyze = 0;
  private writtenAtAnalyze = 0;

  private constructor(
    private readonly db: SqlDriver,
    readonly dimension: number,
    private readonly efSearch: number,
    /** pgvector >= 0.8 walks on past ef_search until the filters are met; older versions stop there. */
    private readonly iterativeScan: boolean,
  ) {
    this.table = vectorTable(dimension);
  }

  /** Creates the extension, the vector table and its index when missing. Does not own the driver. */
  static async open(db: SqlDriver, dimension: number, options: PgvectorOptions = {}): Promise<PgvectorStore> {
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > 2_000) {
      throw new AppError('invalid_input', `pgvector can index 1 to 2000 dimensions with HNSW (asked for ${dimension})`);
    }
    const table = vectorTable(dimension);
    const ready = await db.query<{ ext: boolean; tbl: boolean }>(
      `select exists (select 1 from pg_extension where extname = 'vector') as ext, to_regclass($1) is not null as tbl`,
      [table],
    );
    if (!(ready[0]?.ext && ready[0]?.tbl)) {
      await db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1)', [DDL_LOCK_KEY]);
        await createExtension(tx, db.kind, options.address);
        // kind and symbol are copied from the chunk so the filters apply while the index is walked.
        await tx.query(
          `create table if not exists ${table} (
             backtest_id text not null,
             model       text not null,
             id          text not null,
             kind        text not null,
             symbol      text,
             embedding   vector(${dimension}) not null,
             primary key (backtest_id, model, id),
             foreign key (backtest_id, model, id) references chunks (backtest_id, model, id) on delete cascade
           )`,
        );
        await tx.query(`create index if not exists ${table}_kind on ${table} (backtest_id, model, kind)`);
        await tx.query(`create index if not exists ${table}_symbol on ${table} (backtest_id, model, symbol)`);
        await tx.query(`create index if not exists ${table}_hnsw on ${table} using hnsw (embedding vector_cosine_ops) with (${HNSW_PARAMS})`);
      });
    }
    const version = await db.query<{ v: string }>(`select extversion as v from pg_extension where extname = 'vector'`);
    const [major = 0, minor = 0] = (version[0]?.v ?? '0.0').split('.').map(Number);
    const efSearch = Math.max(1, Math.min(1_000, Math.floor(options.efSearch ?? 200)));
    return new PgvectorStore(db, dimension, efSearch, major > 0 || minor >= 8);
  }

  async upsert(chunks: Chunk[], embeddings: Float32Array[], model: string): Promise<void> {
    if (chunks.length !== embeddings.length) {
      throw new AppError('invalid_input', `upsert got ${chunks.length} chunk(s) but ${embeddings.length} embedding(s)`);
    }
    if (chunks.length === 0) return;
    for (const e of embeddings) this.checkDimension(e, model);
    const rows = chunks.map((c, i) => ({
      backtest_id: c.backtestId,
      id: c.id,
      kind: c.kind,
      text: c.text,
      from_time: c.from,
      to_time: c.to,
      symbol: c.symbol,
      trade_ids: c.tradeIds,
      metadata: c.metadata,
      embedding: vectorLiteral(embeddings[i]!),
    }));
    const json = JSON.stringify(rows);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into chunks (backtest_id, model, id, kind, text, from_time, to_time, symbol, trade_ids, metadata)
         select r.backtest_id, $2, r.id, r.kind, r.text, r.from_time, r.to_time, r.symbol,
                array(select jsonb_array_elements_text(r.trade_ids)), coalesce(r.metadata, '{}')
           from jsonb_to_recordset($1::jsonb) as r(backtest_id text, id text, kind text, text text, from_time timestamptz,
                to_time timestamptz, symbol text, trade_ids jsonb, metadata jsonb)
         on conflict (backtest_id, model, id) do update set
           kind = excluded.kind, text = excluded.text, from_time = excluded.from_time, to_time = excluded.to_time,
           symbol = excluded.symbol, trade_ids = excluded.trade_ids, metadata = excluded.metadata, created_at = now()`,
        [json, model],
      );
      await tx.query(
        `insert into ${this.table} (backtest_id, model, id, kind, symbol, embedding)
         select r.backtest_id, $2, r.id, r.kind, r.symbol, r.embedding::vector(${this.dimension})
           from jsonb_to_recordset($1::jsonb) as r(backtest_id text, id text, kind text, symbol text, embedding text)
         on conflict (backtest_id, model, id) do update set kind = excluded.kind, symbol = excluded.symbol, embedding = excluded.embedding`,
        [json, model],
      );
    });
    await this.refreshStatistics(chunks.length);
  }

  /**
   * PGlite runs no autovacuum, so without this the planner never learns how rows spread over
   * backtests and kinds, and picks the wrong index for a filtered exact scan (measured: 66 ms
   * instead of 10 ms on 30,000 chunks). Refreshed after 1,000 writes, then each time the rows
   * written grow by half. Postgres's autovacuum does it there.
   */
  private async refreshStatistics(written: number): Promise<void> {
    if (this.db.kind !== 'pglite') return;
    this.writtenSinceAnalyze += written;
    if (this.writtenSinceAnalyze < Math.max(1_000, this.writtenAtAnalyze / 2)) return;
    this.writtenAtAnalyze += this.writtenSinceAnalyze;
    this.writtenSinceAnalyze = 0;
    await this.db.exec(`analyze ${this.table} (backtest_id, model, kind, symbol)`);
  }

  async search(query: Float32Array, filter: VectorFilter, k: number, model: string): Promise<ScoredChunk[]> {
    this.checkDimension(query, model);
    if (!filter?.backtestId) throw new AppError('invalid_input', 'a vector search needs a backtestId: searches never cross backtests');
    const limit = Math.max(1, Math.min(MAX_K, Math.floor(k)));
    const counted = filterSql(filter, model, 1);
    const ranked = filterSql(filter, model, 3);
    const params = [vectorLiteral(query), limit, ...ranked.params];
    const nearest = `select id, embedding <=> $1::vector(${this.dimension}) as distance from ${this.table} where ${ranked.where}`;
    return this.db.transaction(async (tx) => {
      // A few candidates (a small backtest, a rare kind or symbol) are cheaper to scan than the graph.
      const candidates = await tx.query<{ n: unknown }>(
        `select count(*) as n from (select 1 from ${this.table} where ${counted.where} limit ${EXACT_MAX + 1}) s`,
        counted.params,
      );
      let hits: Hit[] = [];
      if (Number(candidates[0]?.n ?? 0) > EXACT_MAX) {
        // Keep walking the graph until k rows pass the filters (pgvector >= 0.8), then re-sort them.
        // Sorting is the planner's other way to order rows; that is the exact scan, not wanted here.
        if (this.iterativeScan) {
          await tx.query(`set local hnsw.iterative_scan = relaxed_order`);
          // When the matches lie far from the query in the graph, give up early: the exact scan is bounded by them.
          await tx.query(`set local hnsw.max_scan_tuples = ${MAX_SCAN_TUPLES}`);
        }
        await tx.query(`set local hnsw.ef_search = ${Math.max(this.efSearch, limit)}`);
        await tx.query(`set local enable_sort = off`);
        hits = await tx.query<Hit>(`select * from (${nearest} order by distance limit $2) s order by distance, id`, params);
        await tx.query(`set local enable_sort = on`);
      }
      // Fewer than k from the graph means it gave up before finding them: the exact scan settles it.
      if (hits.length < limit) {
        hits = await tx.query<Hit>(`with m as materialized (${nearest}) select * from m order by distance, id limit $2`, params);
      }
      if (hits.length === 0) return [];
      const rows = await tx.query<Row>(`select * from chunks where backtest_id = $1 and model = $2 and id = any($3::text[])`, [
        filter.backtestId,
        model,
        hits.map((h) => h.id),
      ]);
      const byId = new Map(rows.map((r) => [String(r.id), r]));
      return hits.filter((h) => byId.has(h.id)).map((h) => scored(byId.get(h.id)!, Number(h.distance)));
    });
  }

  async count(backtestId: string): Promise<number> {
    const rows = await this.db.query<{ n: unknown }>('select count(*) as n from chunks where backtest_id = $1', [backtestId]);
    return Number(rows[0]?.n ?? 0);
  }

  async storedIds(backtestId: string, model: string): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>('select id from chunks where backtest_id = $1 and model = $2', [backtestId, model]);
    return new Set(rows.map((r) => r.id));
  }

  async deleteBacktest(backtestId: string): Promise<void> {
    // The vectors go with their chunks (on delete cascade), whatever their dimension.
    await this.db.query('delete from chunks where backtest_id = $1', [backtestId]);
  }

  /** The driver belongs to the store; closing it is the store's job. */
  async close(): Promise<void> {}

  private checkDimension(v: Float32Array, model: string): void {
    if (v.length !== this.dimension) {
      throw new AppError(
        'invalid_input',
        `embedding of model ${model} has ${v.length} dimensions but this pgvector store holds ${this.dimension} (${this.table}); open the store with the embedder's dimension`,
        { expected: `${this.dimension} dimensions`, found: `${v.length}` },
      );
    }
  }
}

type Row = Record<string, unknown>;
interface Hit {
  id: string;
  distance: number | string;
}

/** The filter as a where clause over the vector table, its parameters numbered from `first`. */
function filterSql(filter: VectorFilter, model: string, first: number): { where: string; params: unknown[] } {
  const params: unknown[] = [filter.backtestId, model];
  let where = `backtest_id = $${first} and model = $${first + 1}`;
  if (filter.kinds && filter.kinds.length > 0) {
    params.push(filter.kinds);
    where += ` and kind = any($${first + params.length - 1}::text[])`;
  }
  if (filter.symbol) {
    params.push(filter.symbol);
    where += ` and symbol = $${first + params.length - 1}`;
  }
  return { where, params };
}

export const vectorTable = (dimension: number): string => `chunk_vectors_${dimension}`;

/**
 * `[x,y,...]` rounded to 1e-7: a unit vector's cosine moves by about 1e-6 at most, and this formats
 * four times faster (and parses faster) than the digits that give back the exact float4.
 */
function vectorLiteral(v: Float32Array): string {
  let s = '[';
  for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + Math.round(v[i]! * 1e7) / 1e7;
  return s + ']';
}

function scored(r: Row, distance: number): ScoredChunk {
  return {
    id: String(r.id),
    backtestId: String(r.backtest_id),
    kind: r.kind as ChunkKind,
    text: String(r.text),
    from: toIso(r.from_time),
    to: toIso(r.to_time),
    symbol: (r.symbol as string | null) ?? null,
    tradeIds: parseTextArray(r.trade_ids),
    metadata: (toJson(r.metadata) as Record<string, unknown>) ?? {},
    score: 1 - distance,
  };
}

/** Both drivers usually give text[] as an array; a literal `{a,b}` is parsed just in case. */
function parseTextArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string' || v === '{}') return [];
  return v
    .slice(1, -1)
    .match(/"(?:[^"\\]|\\.)*"|[^,]+/g)!
    .map((s) => (s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s));
}

/**
 * `create extension if not exists vector`, turning "not installed" into the fix. On Postgres 15 the
 * error is a missing control file (58P01); later versions say the extension is not available (0A000).
 */
async function createExtension(tx: SqlQueryable, engine: 'pglite' | 'postgres', address: string | undefined): Promise<void> {
  try {
    await tx.query('create extension if not exists vector');
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const where = engine === 'pglite' ? 'the embedded PGlite database' : `the Postgres at DATABASE_URL (${address ?? 'unknown address'})`;
    if (e.code === '58P01' || e.code === '0A000' || /control file|not available/.test(e.message ?? '')) {
      throw new AppError('unavailable', `pgvector is not installed on ${where}: install the extension (the cluster image ships it) or set CHROMA_URL`, {
        setting: 'DATABASE_URL',
        retryable: false,
      }, { cause: err });
    }
    throw new AppError('unavailable', `cannot create the vector extension on ${where}: ${e.message}; run \`create extension vector\` as a superuser, or set CHROMA_URL`, {
      setting: 'DATABASE_URL',
      retryable: false,
    }, { cause: err });
  }
}
