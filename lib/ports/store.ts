import type { TradeColumns } from '../domain/trade-columns.js';
import type { TradeRollup } from '../domain/ingest/rollups.js';
import type { BarColumns } from '../formats/types.js';

export type UploadStatus = 'stored' | 'parsing' | 'parsed' | 'loaded' | 'failed' | 'skipped';

export interface UploadRecord {
  sha256: string;
  name: string;
  sizeBytes: number;
  format: string | null;
  status: UploadStatus;
  /** The error envelope's `error` object when the upload failed; kept so it can be retried after a fix. */
  error: unknown;
  firstSeenAt: string;
  updatedAt: string;
}

export interface BacktestSource {
  sha256: string;
  role: 'trades' | 'stops' | 'parameters' | 'report' | 'log';
  name: string;
}

export interface BacktestRecord {
  id: string;
  name: string;
  sourceKind: string;
  accountCurrency: string | null;
  startingBalance: number | null;
  periodStart: number | null;
  periodEnd: number | null;
  symbols: string[];
  timeframe: string | null;
  parameters: Record<string, unknown>;
  costModel: unknown;
  summary: unknown;
  issues: unknown;
  context: unknown;
  tradeCount: number;
  createdAt?: string;
  /** Per-day and per-hour sums of the trades, written with them (not returned by reads). */
  rollups?: TradeRollup[];
}

export interface BarDatasetRecord {
  id: string;
  sha256: string;
  name: string;
  symbol: string | null;
  timeframe: string | null;
  layout: string;
  barCount: number;
  firstTime: number | null;
  lastTime: number | null;
  createdAt?: string;
}

export interface ParameterSetRecord {
  id: string;
  sha256: string | null;
  kind: 'cbotset' | 'optimisation-params';
  name: string;
  symbol: string | null;
  timeframe: string | null;
  parameters: unknown;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  stage: string | null;
  progress: { done: number; total: number | null; unit: string | null };
  request: unknown;
  result: unknown;
  error: unknown;
  callId: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface JobPatch {
  status?: JobStatus;
  stage?: string | null;
  progress?: { done: number; total?: number | null; unit?: string | null };
  result?: unknown;
  error?: unknown;
}

export interface DeadLetterRecord {
  id: number;
  stage: string;
  messageId: string;
  envelope: unknown;
  attempts: number;
  lastError: string;
  deadAt: string;
}

export interface Page {
  limit?: number;
  offset?: number;
}

/**
 * The system of record. Two adapters (PGlite embedded, Postgres via `pg`) share the SQL and the
 * migrations and pass the same contract suite.
 */
export interface Store {
  readonly kind: 'pglite' | 'postgres';

  /** Records raw content once; a second upload of the same bytes returns the first record. */
  putUpload(upload: { sha256: string; name: string; sizeBytes: number; format?: string | null }): Promise<{
    upload: UploadRecord;
    created: boolean;
  }>;
  getUpload(sha256: string): Promise<UploadRecord | undefined>;
  updateUpload(sha256: string, patch: { status?: UploadStatus; format?: string | null; error?: unknown }): Promise<void>;
  listUploads(page?: Page): Promise<UploadRecord[]>;

  /**
   * Writes a backtest, its sources and all its trades in ONE transaction (bulk COPY), so a failure
   * leaves nothing half-loaded. The record is asked for after the trades have streamed in (its
   * summary depends on them); if `describe` throws, everything rolls back. Returns false, writing
   * nothing, when the id already exists.
   */
  saveBacktest(
    id: string,
    sources: BacktestSource[],
    trades: AsyncIterable<TradeColumns>,
    describe: (tradesWritten: number) => BacktestRecord,
    onRows?: (rowsWritten: number) => void,
  ): Promise<boolean>;
  getBacktest(id: string): Promise<BacktestRecord | undefined>;
  listBacktests(page?: Page): Promise<BacktestRecord[]>;
  backtestSources(id: string): Promise<BacktestSource[]>;
  /** Trades in their stored order (seq). */
  readTrades(backtestId: string, page?: Page): Promise<TradeColumns>;
  deleteBacktest(id: string): Promise<boolean>;

  /** Same all-or-nothing contract as saveBacktest. */
  saveBarDataset(dataset: BarDatasetRecord, bars: AsyncIterable<BarColumns>): Promise<boolean>;
  getBarDataset(id: string): Promise<BarDatasetRecord | undefined>;
  listBarDatasets(page?: Page): Promise<BarDatasetRecord[]>;
  readBars(datasetId: string): Promise<BarColumns>;

  saveParameterSet(set: ParameterSetRecord): Promise<boolean>;
  getParameterSet(id: string): Promise<ParameterSetRecord | undefined>;

  createJob(job: { id: string; kind: string; request?: unknown; callId?: string | null; stage?: string | null }): Promise<JobRecord>;
  updateJob(id: string, patch: JobPatch): Promise<void>;
  getJob(id: string): Promise<JobRecord | undefined>;
  listJobs(page?: Page & { status?: JobStatus }): Promise<JobRecord[]>;

  recordDeadLetter(dead: { stage: string; messageId: string; envelope: unknown; attempts: number; lastError: string }): Promise<void>;
  listDeadLetters(page?: Page): Promise<DeadLetterRecord[]>;

  isProcessed(stage: string, messageId: string): Promise<boolean>;
  markProcessed(stage: string, messageId: string): Promise<void>;

  /** Read-only analytics SQL with bound parameters (never string-built from user text). */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;

  close(): Promise<void>;
}
