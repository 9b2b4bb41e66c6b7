import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startIngest } from '../../lib/ingest/start-ingest.js';
import { waitForJobs } from '../../lib/pipeline/jobs.js';
import { loadConfig } from '../../lib/runtime/config.js';
import { createLogger, silentLogger } from '../../lib/runtime/logger.js';
import { startLocalRunner } from '../../lib/runtime/local-runner.js';
import { writeHistoryCsv } from '../generators/history-csv.js';
import { mb, trackPeakRss } from './measure.js';

/**
 * Ingests a generated History CSV of N trades through the whole pipeline (store raw, parse, validate,
 * load) in this process, and prints what it took as JSON.
 *   node --import tsx scripts/bench/ingest-history.ts <trades> <pglite|postgres>
 */
const trades = Number(process.argv[2] ?? 1_000_000);
const store = process.argv[3] ?? 'pglite';
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const cacheDir = path.resolve('.bench');
await mkdir(cacheDir, { recursive: true });
const csv = path.join(cacheDir, `history-${trades}.csv`);
if (!existsSync(csv)) await writeHistoryCsv(csv, { trades, seed: 42 });
const bytes = statSync(csv).size;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-ingest-'));
let dbName: string | undefined;
let env: Record<string, string | undefined> = { DATA_DIR: dataDir, SAMPLE_DATA: 'false', MAX_UPLOAD_BYTES: String(8 * 1024 ** 3) };
if (store === 'postgres') {
  dbName = `trading_ai_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  env = { ...env, DATABASE_URL: u.toString() };
}
const config = loadConfig(env);
const platform = await startLocalRunner(config, process.env.BENCH_LOG ? createLogger('debug') : silentLogger(), { listen: false });
const rss = trackPeakRss();
const startedAt = Date.now();
const started = performance.now();
const stored = await platform.ports.blobs.put(createReadStream(csv), { limitBytes: config.MAX_UPLOAD_BYTES });
const storedAt = performance.now();
const callId = randomUUID();
const ingest = await startIngest(
  { store: platform.ports.store, blobs: platform.ports.blobs, emit: platform.context(callId).emit },
  [{ ...stored, name: path.basename(csv) }],
  { onRejects: 'fail' },
  callId,
  { maxUnzippedBytes: 1, maxRatio: 1, maxEntries: 1 },
);
const { jobs } = await waitForJobs(platform.ports.store, ingest.units.map((u) => u.jobId), { timeoutMs: 600_000, pollMs: 100 });
const finished = performance.now();
const peak = rss.stop();
const job = jobs[0]!;
const result = job.result as { summary?: { trades: number } } | null;
await platform.close();
await rm(dataDir, { recursive: true, force: true });
if (dbName) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
if (job.status !== 'succeeded') {
  process.stderr.write(`ingest failed: ${JSON.stringify(job.error)}\n`);
  process.exit(1);
}
process.stdout.write(
  `${JSON.stringify({
    trades: result?.summary?.trades,
    store,
    csvMB: mb(bytes),
    storeRawSeconds: (storedAt - started) / 1000,
    totalSeconds: (finished - started) / 1000,
    // When the job row says the load finished; the difference to totalSeconds is how late the poll saw it.
    jobFinishedSeconds: job.finishedAt ? (Date.parse(job.finishedAt) - startedAt) / 1000 : null,
    peakRssMB: mb(peak),
  })}\n`,
);
