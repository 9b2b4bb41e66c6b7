import { randomUUID } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { IngestOptions } from '../../domain/ingest/plan.js';
import { outcomeOfJob, unitOutcomes, type UnitOutcome } from '../../ingest/ingest-response.js';
import type { ReceivedFile } from '../../ingest/receive.js';
import { startIngest } from '../../ingest/start-ingest.js';
import type { JobRecord } from '../../ports/store.js';
import type { Config } from '../../runtime/config.js';
import { AppError, isErrorCode, toAppError, type ErrorDetails } from '../../runtime/errors.js';
import { CliError, EXIT } from '../cli-error.js';
import type { Output } from '../output.js';
import { renderIngest, type IngestOutput } from '../present-ingest.js';
import { makeProgress, type Progress } from '../progress.js';
import type { RunningPlatform } from '../../runtime/local-runner.js';
import { resolveTarget, withDirectPlatform, type RemoteClient } from '../target.js';

export interface IngestFlags {
  url?: string;
  symbol?: string;
  name?: string;
  skipRejects?: boolean;
  wait: boolean;
}

export async function ingestCommand(config: Config, out: Output, files: string[], flags: IngestFlags): Promise<void> {
  const sizes = await Promise.all(files.map(sizeOrUsageError));
  const parsed = IngestOptions.safeParse({ symbol: flags.symbol, name: flags.name, onRejects: flags.skipRejects ? 'skip' : 'fail' });
  if (!parsed.success) throw new CliError(`invalid option: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`, EXIT.usage);
  const progress = makeProgress(!out.json);
  const target = await resolveTarget(config, flags.url);
  let result: IngestOutput;
  try {
    result =
      target.kind === 'remote'
        ? await viaRunner(target.client, files, sizes, parsed.data, flags.wait, progress)
        : await direct(config, files, sizes, parsed.data, progress);
  } finally {
    progress.stop();
  }
  out.result(result, renderIngest);
  if (result.results.some((r) => r.status === 'failed')) throw new CliError('some files were not ingested', EXIT.failed, null);
}

/** Uploads the files to a running runner's parse function (also used by `backtest --bars <file>`). */
export async function viaRunner(client: RemoteClient, files: string[], sizes: number[], options: IngestOptions, wait: boolean, progress: Progress): Promise<IngestOutput> {
  const form = new FormData();
  for (const f of files) form.append('file', await openAsBlob(f), path.basename(f));
  const encoded = new Response(form);
  const bar = progress.bar('upload', sizes.reduce((a, b) => a + b, 0), 'bytes');
  let sent = 0;
  const counted = encoded.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength;
        bar.update(sent);
        controller.enqueue(chunk);
      },
    }),
  );
  const res = await client.call('parse', {
    method: 'POST',
    query: { wait: 'false', symbol: options.symbol, name: options.name, onRejects: options.onRejects },
    headers: { 'content-type': encoded.headers.get('content-type')! },
    body: counted,
  });
  bar.done();
  if (res.status !== 200 && res.status !== 202) {
    const e = (res.body as { error?: { code: string; message: string; details?: ErrorDetails } })?.error;
    const error = e && isErrorCode(e.code) ? new AppError(e.code, e.message, e.details) : new AppError('internal', e?.message ?? `HTTP ${res.status}`);
    return { results: [failedUpload(files.map((f) => path.basename(f)).join(', '), error)], skipped: [] };
  }
  const accepted = res.body as IngestOutput;
  if (!wait) return accepted;
  return follow(accepted, async (ids) => {
    const r = await client.call('status', { query: { jobs: ids.join(',') } });
    if (r.status !== 200) throw new CliError(`cannot read job status: HTTP ${r.status}`, EXIT.failed, r.body);
    return (r.body as { jobs: JobRecord[] }).jobs;
  }, progress);
}

/** Without a runner nothing would finish the jobs after this process exits, so direct mode always waits. */
async function direct(config: Config, files: string[], sizes: number[], options: IngestOptions, progress: Progress): Promise<IngestOutput> {
  return withDirectPlatform(config, (p) => ingestInPlatform(p, config, files, sizes, options, progress));
}

/** Ingests the files on an in-process platform and waits for the jobs (also used by `backtest --bars <file>`). */
export async function ingestInPlatform(p: RunningPlatform, config: Config, files: string[], sizes: number[], options: IngestOptions, progress: Progress): Promise<IngestOutput> {
  const received: ReceivedFile[] = [];
  for (const [i, f] of files.entries()) {
    const bar = progress.bar(`store ${path.basename(f)}`, sizes[i]!, 'bytes');
    let read = 0;
    const stream = createReadStream(f).on('data', (c) => bar.update((read += c.length)));
    received.push({ ...(await p.ports.blobs.put(stream, { limitBytes: config.MAX_UPLOAD_BYTES })), name: path.basename(f) });
    bar.done();
  }
  const callId = randomUUID();
  let started;
  try {
    started = await startIngest({ store: p.ports.store, blobs: p.ports.blobs, emit: p.context(callId).emit, busKeepsMessages: p.ports.bus.kind !== 'memory' }, received, options, callId, {
      maxUnzippedBytes: config.MAX_UNZIPPED_BYTES,
      maxRatio: config.MAX_ZIP_RATIO,
      maxEntries: config.MAX_ZIP_ENTRIES,
    });
  } catch (err) {
    // The same outcome a runner would answer with, so both paths print and exit alike.
    const e = toAppError(err);
    if (e.code === 'internal') throw err;
    return { results: [failedUpload(received.map((r) => r.name).join(', '), e)], skipped: [] };
  }
  const initial = { results: unitOutcomes(started, []), skipped: started.skipped };
  return follow(initial, async (ids) => (await Promise.all(ids.map((id) => p.ports.store.getJob(id)))).filter((j) => j !== undefined), progress);
}

/** Polls the jobs still running, with a progress bar each, until every one has finished. */
async function follow(initial: IngestOutput, getJobs: (ids: string[]) => Promise<JobRecord[]>, progress: Progress): Promise<IngestOutput> {
  let results: UnitOutcome[] = initial.results;
  const bars = new Map<string, ReturnType<Progress['bar']>>();
  for (;;) {
    const pending = results.filter((r) => r.status === 'queued' || r.status === 'running');
    if (pending.length === 0) break;
    const jobs = new Map((await getJobs(pending.map((r) => r.jobId))).map((j) => [j.id, j]));
    results = results.map((r) => {
      if (r.status !== 'queued' && r.status !== 'running') return r;
      const job = jobs.get(r.jobId);
      const bar = bars.get(r.jobId) ?? progress.bar(r.name, job?.progress.total ?? 1, job?.progress.unit ?? '');
      bars.set(r.jobId, bar);
      if (job) bar.update(job.progress.done, job.progress.total ?? undefined);
      const next = outcomeOfJob(r.jobId, r.name, job);
      if (next.status !== 'queued' && next.status !== 'running') bar.done();
      return next;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return { results, skipped: initial.skipped };
}

export async function sizeOrUsageError(file: string): Promise<number> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new CliError(`${file} is not a file`, EXIT.usage);
    return s.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, EXIT.usage);
  }
}

/** An upload refused before any job started (empty, unknown format, zip bomb, ...). */
function failedUpload(name: string, e: AppError): UnitOutcome {
  return { status: 'failed', jobId: '', name, error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
}
