import { concatTradeColumns, type TradeColumns } from '../../domain/trade-columns.js';
import type { TradeRollup } from '../../domain/ingest/rollups.js';
import type { BarColumns } from '../../formats/types.js';
import type {
  BacktestRecord,
  BacktestSource,
  BarDatasetRecord,
  DeadLetterRecord,
  JobPatch,
  JobRecord,
  JobStatus,
  Page,
  ParameterSetRecord,
  Store,
  UploadRecord,
  UploadStatus,
} from '../../ports/store.js';
import { BAR_COPY_COLUMNS, barCopyRows, TRADE_COPY_COLUMNS, tradeCopyRows } from './copy-text.js';
import { CopyWriter } from './copy-writer.js';
import type { SqlDriver, SqlQueryable } from './driver.js';
import { migrate } from './migrate.js';
import { iso, jsonParam, toIso, toJson } from './rows.js';
import { backtestFrom, barDatasetFrom, jobFrom, tradeColumnsFrom, uploadFrom, type Row } from './row-mappers.js';

class AlreadySaved extends Error {}

const READ_PAGE = 50_000;

const MAX_PAGE = 10_000;
const limitOf = (p?: Page, fallback = 100): number => Math.min(Math.max(1, p?.limit ?? fallback), MAX_PAGE);

/** The store's logic, once, over either SQL driver. */
export class SqlStore implements Store {
  private constructor(private readonly db: SqlDriver) {}

  static async open(driver: SqlDriver): Promise<SqlStore> {
    await migrate(driver);
    return new SqlStore(driver);
  }

  get kind(): 'pglite' | 'postgres' {
    return this.db.kind;
  }

  // uploads -----------------------------------------------------------------------------------------

  async putUpload(u: { sha256: string; name: string; sizeBytes: number; format?: string | null }) {
    const inserted = await this.db.query(
      `insert into uploads (sha256, name, size_bytes, format, status) values ($1, $2, $3, $4, 'stored')
       on conflict (sha256) do nothing returning *`,
      [u.sha256, u.name, u.sizeBytes, u.format ?? null],
    );
    if (inserted[0]) return { upload: uploadFrom(inserted[0]), created: true };
    const existing = await this.getUpload(u.sha256);
    return { upload: existing!, created: false };
  }

  async getUpload(sha256: string): Promise<UploadRecord | undefined> {
    const rows = await this.db.query('select * from uploads where sha256 = $1', [sha256]);
    return rows[0] ? uploadFrom(rows[0]) : undefined;
  }

  async updateUpload(sha256: string, patch: { status?: UploadStatus; format?: string | null; error?: unknown }) {
    await this.db.query(
      `update uploads set status = coalesce($2, status),
         format = case when $3::boolean then $4 else format end,
         error = case when $5::boolean then $6::jsonb else error end,
         updated_at = now()
       where sha256 = $1`,
      [sha256, patch.status ?? null, 'format' in patch, patch.format ?? null, 'error' in patch, jsonParam(patch.error)],
    );
  }

  async listUploads(page?: Page): Promise<UploadRecord[]> {
    const rows = await this.db.query('select * from uploads order by updated_at desc limit $1 offset $2', [
      limitOf(page),
      page?.offset ?? 0,
    ]);
    return rows.map(uploadFrom);
  }

  // backtests ---------------------------------------------------------------------------------------

  async saveBacktest(
    id: string,
    sources: BacktestSource[],
    trades: AsyncIterable<TradeColumns>,
    describe: (tradesWritten: number) => BacktestRecord,
    onRows?: (rows: number) => void,
  ): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        // Two identical uploads may load at once; the second waits here, then finds the first's result.
        await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`backtest:${id}`]);
        if ((await tx.query('select 1 from backtests where id = $1', [id])).length > 0) return false;
        let seq = 0;
        const writer = new CopyWriter(2 * 1024 * 1024);
        async function* rows(): AsyncGenerator<Buffer> {
          for await (const batch of trades) {
            if (batch.length === 0) continue;
            yield tradeCopyRows(id, batch, seq, writer);
            seq += batch.length;
            onRows?.(seq);
          }
        }
        await tx.copyFrom('trades', TRADE_COPY_COLUMNS, rows());
        const bt = describe(seq);
        if (bt.id !== id) throw new Error(`backtest record ${bt.id} does not match the id being saved (${id})`);
        if (seq !== bt.tradeCount) throw new Error(`backtest ${id} declared ${bt.tradeCount} trades but ${seq} were written`);
        const inserted = await tx.query(
          `insert into backtests (id, name, source_kind, account_currency, starting_balance, period_start, period_end,
             symbols, timeframe, parameters, cost_model, summary, issues, context, trade_count)
           values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::jsonb,$11::jsonb,$12::jsonb,$13::jsonb,$14::jsonb,$15)
           on conflict (id) do nothing returning id`,
          [
            bt.id, bt.name, bt.sourceKind, bt.accountCurrency, bt.startingBalance, iso(bt.periodStart), iso(bt.periodEnd),
            bt.symbols, bt.timeframe, jsonParam(bt.parameters), jsonParam(bt.costModel), jsonParam(bt.summary),
            jsonParam(bt.issues), jsonParam(bt.context), bt.tradeCount,
          ],
        );
        if (inserted.length === 0) throw new AlreadySaved();
        for (const s of sources) {
          await tx.query('insert into backtest_sources (backtest_id, sha256, role, name) values ($1,$2,$3,$4)', [id, s.sha256, s.role, s.name]);
        }
        if (bt.rollups && bt.rollups.length > 0) await insertRollups(tx, id, bt.rollups);
        return true;
      });
    } catch (err) {
      if (err instanceof AlreadySaved) return false;
      throw err;
    }
  }

  async getBacktest(id: string): Promise<BacktestRecord | undefined> {
    const rows = await this.db.query('select * from backtests where id = $1', [id]);
    return rows[0] ? backtestFrom(rows[0]) : undefined;
  }

  async listBacktests(page?: Page): Promise<BacktestRecord[]> {
    const rows = await this.db.query('select * from backtests order by created_at desc, id limit $1 offset $2', [
      limitOf(page),
      page?.offset ?? 0,
    ]);
    return rows.map(backtestFrom);
  }

  async backtestSources(id: string): Promise<BacktestSource[]> {
    const rows = await this.db.query<Row>(
      'select sha256, role, name from backtest_sources where backtest_id = $1 order by role, name',
      [id],
    );
    return rows.map((r) => ({ sha256: String(r.sha256), role: r.role as BacktestSource['role'], name: String(r.name) }));
  }

  async readTrades(backtestId: string, page?: Page): Promise<TradeColumns> {
    // seq runs 0..n-1 within a backtest (saveBacktest numbers it), so a page is a key range: no offset scan.
    const first = page?.offset ?? 0;
    if (page?.limit) return tradeColumnsFrom(await this.readTradeRange(backtestId, first, page.limit));
    const pages: TradeColumns[] = [];
    for (let from = first; ; from += READ_PAGE) {
      const rows = await this.readTradeRange(backtestId, from, READ_PAGE);
      pages.push(tradeColumnsFrom(rows));
      if (rows.length < READ_PAGE) break;
      // A million trades take seconds to turn into columns; let the process answer meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return concatTradeColumns(pages);
  }

  private readTradeRange(backtestId: string, from: number, count: number): Promise<Row[]> {
    return this.db.query<Row>('select * from trades where backtest_id = $1 and seq >= $2 and seq < $3 order by seq', [backtestId, from, from + count]);
  }

  async deleteBacktest(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query('delete from trades where backtest_id = $1', [id]);
      await tx.query('delete from trade_rollups where backtest_id = $1', [id]);
      // Chunks kept in this database (pgvector) go too; their vectors follow by cascade.
      await tx.query('delete from chunks where backtest_id = $1', [id]);
      const rows = await tx.query('delete from backtests where id = $1 returning id', [id]);
      return rows.length > 0;
    });
  }

  // bars --------------------------------------------------------------------------------------------

  async saveBarDataset(ds: BarDatasetRecord, bars: AsyncIterable<BarColumns>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `insert into bar_datasets (id, sha256, name, symbol, timeframe, layout, bar_count, first_time, last_time)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9) on conflict (id) do nothing returning id`,
        [ds.id, ds.sha256, ds.name, ds.symbol, ds.timeframe, ds.layout, ds.barCount, iso(ds.firstTime), iso(ds.lastTime)],
      );
      if (inserted.length === 0) return false;
      let written = 0;
      const writer = new CopyWriter(1024 * 1024);
      async function* text(): AsyncGenerator<Buffer> {
        for await (const b of bars) {
          written += b.length;
          if (b.length > 0) yield barCopyRows(ds.id, b, writer);
        }
      }
      await tx.copyFrom('bars', BAR_COPY_COLUMNS, text());
      if (written !== ds.barCount) throw new Error(`bar dataset ${ds.id} declared ${ds.barCount} bars but ${written} were written`);
      return true;
    });
  }

  async getBarDataset(id: string): Promise<BarDatasetRecord | undefined> {
    const rows = await this.db.query('select * from bar_datasets where id = $1', [id]);
    return rows[0] ? barDatasetFrom(rows[0]) : undefined;
  }

  async listBarDatasets(page?: Page): Promise<BarDatasetRecord[]> {
    const rows = await this.db.query('select * from bar_datasets order by created_at desc, id limit $1 offset $2', [
      limitOf(page),
      page?.offset ?? 0,
    ]);
    return rows.map(barDatasetFrom);
  }

  async readBars(datasetId: string): Promise<BarColumns> {
    // One array per column instead of a row object per bar: about 3× faster for 100k bars when it
    // was written (not kept as a benchmark; scripts/bench/single-backtest.ts times this path).
    const [r] = await this.db.query<Row>(
      `select count(*)::int as n,
         array_agg((extract(epoch from time) * 1000)::float8 order by time) as t,
         array_agg(open order by time) as o, array_agg(high order by time) as h,
         array_agg(low order by time) as l, array_agg(close order by time) as c,
         array_agg(volume order by time) as v
       from bars where dataset_id = $1`,
      [datasetId],
    );
    const n = Number(r?.n ?? 0);
    const column = (values: unknown, round = false) => {
      const out = new Float64Array(n);
      const list = (values ?? []) as (number | string | null)[];
      for (let i = 0; i < n; i++) {
        const v = list[i];
        out[i] = v === null || v === undefined ? NaN : round ? Math.round(Number(v)) : Number(v);
      }
      return out;
    };
    return { length: n, time: column(r?.t, true), open: column(r?.o), high: column(r?.h), low: column(r?.l), close: column(r?.c), volume: column(r?.v) };
  }

  // parameter sets ----------------------------------------------------------------------------------

  async saveParameterSet(p: ParameterSetRecord): Promise<boolean> {
    const rows = await this.db.query(
      `insert into parameter_sets (id, sha256, kind, name, symbol, timeframe, parameters)
       values ($1,$2,$3,$4,$5,$6,$7::jsonb) on conflict (id) do nothing returning id`,
      [p.id, p.sha256, p.kind, p.name, p.symbol, p.timeframe, jsonParam(p.parameters)],
    );
    return rows.length > 0;
  }

  async getParameterSet(id: string): Promise<ParameterSetRecord | undefined> {
    const rows = await this.db.query<Row>('select * from parameter_sets where id = $1', [id]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: String(r.id),
      sha256: (r.sha256 as string | null) ?? null,
      kind: r.kind as ParameterSetRecord['kind'],
      name: String(r.name),
      symbol: (r.symbol as string | null) ?? null,
      timeframe: (r.timeframe as string | null) ?? null,
      parameters: toJson(r.parameters),
    };
  }

  // jobs --------------------------------------------------------------------------------------------

  async createJob(job: { id: string; kind: string; request?: unknown; callId?: string | null; stage?: string | null }) {
    const rows = await this.db.query(
      `insert into jobs (id, kind, status, stage, request, call_id) values ($1,$2,'queued',$3,$4::jsonb,$5)
       on conflict (id) do update set updated_at = jobs.updated_at returning *`,
      [job.id, job.kind, job.stage ?? null, jsonParam(job.request), job.callId ?? null],
    );
    return jobFrom(rows[0]!);
  }

  async updateJob(id: string, patch: JobPatch): Promise<void> {
    const terminal = patch.status === 'succeeded' || patch.status === 'failed';
    await this.db.query(
      `update jobs set
         status = coalesce($2, status),
         stage = case when $3::boolean then $4 else stage end,
         progress_done = coalesce($5, progress_done),
         progress_total = case when $6::boolean then $7 else progress_total end,
         progress_unit = coalesce($8, progress_unit),
         result = case when $9::boolean then $10::jsonb else result end,
         error = case when $11::boolean then $12::jsonb else error end,
         finished_at = case when $13::boolean then now() when $2 in ('queued', 'running') then null else finished_at end,
         updated_at = now()
       where id = $1`,
      [
        id,
        patch.status ?? null,
        'stage' in patch,
        patch.stage ?? null,
        patch.progress?.done ?? null,
        patch.progress !== undefined && 'total' in patch.progress,
        patch.progress?.total ?? null,
        patch.progress?.unit ?? null,
        'result' in patch,
        jsonParam(patch.result),
        'error' in patch,
        jsonParam(patch.error),
        terminal,
      ],
    );
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const rows = await this.db.query('select * from jobs where id = $1', [id]);
    return rows[0] ? jobFrom(rows[0]) : undefined;
  }

  async listJobs(page?: Page & { status?: JobStatus }): Promise<JobRecord[]> {
    const rows = await this.db.query(
      `select * from jobs where ($1::text is null or status = $1) order by created_at desc, id limit $2 offset $3`,
      [page?.status ?? null, limitOf(page), page?.offset ?? 0],
    );
    return rows.map(jobFrom);
  }

  // dead letters and idempotency --------------------------------------------------------------------

  async recordDeadLetter(d: { stage: string; messageId: string; envelope: unknown; attempts: number; lastError: string }) {
    await this.db.query(
      'insert into dead_letters (stage, message_id, envelope, attempts, last_error) values ($1,$2,$3::jsonb,$4,$5)',
      [d.stage, d.messageId, jsonParam(d.envelope), d.attempts, d.lastError],
    );
  }

  async listDeadLetters(page?: Page): Promise<DeadLetterRecord[]> {
    const rows = await this.db.query<Row>('select * from dead_letters order by dead_at desc, id desc limit $1 offset $2', [
      limitOf(page),
      page?.offset ?? 0,
    ]);
    return rows.map((r) => ({
      id: Number(r.id),
      stage: String(r.stage),
      messageId: String(r.message_id),
      envelope: toJson(r.envelope),
      attempts: Number(r.attempts),
      lastError: String(r.last_error),
      deadAt: toIso(r.dead_at)!,
    }));
  }

  async isProcessed(stage: string, messageId: string): Promise<boolean> {
    const rows = await this.db.query('select 1 from processed_messages where stage = $1 and message_id = $2', [stage, messageId]);
    return rows.length > 0;
  }

  async markProcessed(stage: string, messageId: string): Promise<void> {
    await this.db.query(
      'insert into processed_messages (stage, message_id) values ($1, $2) on conflict do nothing',
      [stage, messageId],
    );
  }

  async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.db.query<T>(sql, params);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

async function insertRollups(tx: SqlQueryable, id: string, rollups: TradeRollup[]): Promise<void> {
  const column = <K extends keyof TradeRollup>(k: K) => rollups.map((r) => r[k]);
  await tx.query(
    `insert into trade_rollups (backtest_id, grain, key, n, wins, losses, net, gross_profit, gross_loss, largest_win, largest_loss,
       commission, commission_known, swap, swap_known, sum_sq_net)
     select $1, * from unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::numeric[], $8::numeric[], $9::numeric[],
       $10::numeric[], $11::numeric[], $12::numeric[], $13::int[], $14::numeric[], $15::int[], $16::float8[])`,
    [
      id, column('grain'), column('key'), column('n'), column('wins'), column('losses'), column('net'), column('grossProfit'), column('grossLoss'),
      column('largestWin'), column('largestLoss'), column('commission'), column('commissionKnown'), column('swap'), column('swapKnown'), column('sumSqNet'),
    ],
  );
}
