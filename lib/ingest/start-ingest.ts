import { planIngest, type IngestOptions, type IngestUnit, type PlannedFile } from '../domain/ingest/plan.js';
import type { Detection } from '../formats/types.js';
import type { Blobs } from '../ports/blobs.js';
import type { JobRecord, Store } from '../ports/store.js';
import { AppError, toAppError } from '../runtime/errors.js';
import { messageIdOf } from '../pipeline/envelope.js';
import { jobIdForUnit, type ParseMessage } from './messages.js';
import type { ReceivedFile } from './receive.js';
import { sniff } from './readers.js';
import type { UnitResult } from './unit-result.js';
import { existingResult } from './existing-result.js';
import { expandZip, type ZipLimits } from './zip.js';

export interface StartedUnit {
  unit: IngestUnit;
  jobId: string;
  /** Set when this content was already loaded: nothing is written again. */
  existing?: UnitResult;
}

export interface StartedIngest {
  units: StartedUnit[];
  /** Files of an archive that were stored but are not ingested, with why. */
  skipped: { path: string; reason: string }[];
}

export interface IngestDeps {
  store: Store;
  blobs: Blobs;
  emit(stage: string, payload: unknown, messageId: string): Promise<void>;
  /**
   * True on a bus that keeps messages until they are handled (JetStream): a quiet job there is
   * waiting in a backlog or being redelivered, and must not be started a second time.
   */
  busKeepsMessages?: boolean;
}

const SNIFF_BYTES = 64 * 1024;

/**
 * Records the stored raw files, opens archives, plans units and starts a job per unit by publishing
 * `pipeline.parse`. Content already loaded returns its existing result; a unit already being worked on
 * is joined, not started twice.
 */
export async function startIngest(deps: IngestDeps, files: ReceivedFile[], options: IngestOptions, callId: string, zipLimits: ZipLimits): Promise<StartedIngest> {
  const planned: PlannedFile[] = [];
  const skipped: StartedIngest['skipped'] = [];
  for (const f of files) {
    await deps.store.putUpload({ sha256: f.sha256, name: f.name, sizeBytes: f.size });
    const detection = await detectOrFail(deps, f.sha256, f.name);
    if (detection.format !== 'zip') {
      planned.push({ ...f, path: f.name, group: 'upload', format: detection.format });
      continue;
    }
    const { entries, skipped: notOpened } = await failUploadOnError(deps.store, f.sha256, () => expandZip(deps.blobs, f, zipLimits));
    await deps.store.updateUpload(f.sha256, { status: 'parsed', format: 'zip', error: null });
    skipped.push(...notOpened.map((s) => ({ path: `${f.name}/${s.path}`, reason: s.reason })));
    for (const e of entries) {
      const path = `${f.name}/${e.path}`;
      const name = e.path.split('/').pop()!;
      await deps.store.putUpload({ sha256: e.sha256, name: path, sizeBytes: e.size });
      try {
        const d = await detectOrFail(deps, e.sha256, name);
        planned.push({ sha256: e.sha256, size: e.size, name, path, group: `${f.name}/${dirname(e.path)}`, format: d.format });
      } catch (err) {
        // One unreadable file inside a folder archive should not stop the rest of the folder.
        const reason = toAppError(err).message;
        skipped.push({ path, reason });
        await deps.store.updateUpload(e.sha256, { status: 'skipped', error: { code: toAppError(err).code, message: reason } });
      }
    }
  }
  const units = planIngest(planned, options);
  if (units.length === 0) {
    throw new AppError('unknown_format', 'nothing in this upload can be ingested', {
      file: files.map((f) => f.name).join(', '),
      expected: 'a cTrader report (JSON/HTML), events.json, History CSV, .cbotset, optimisation params, or an OHLC bar CSV',
      skipped,
    });
  }
  const started: StartedUnit[] = [];
  for (const unit of units) started.push(await startUnit(deps, unit, options, callId));
  return { units: started, skipped };
}

async function startUnit(deps: IngestDeps, unit: IngestUnit, options: IngestOptions, callId: string): Promise<StartedUnit> {
  const jobId = jobIdForUnit(unit.id, options.onRejects);
  const existing = await existingResult(deps.store, unit);
  if (existing) return { unit, jobId, existing };
  const job = await deps.store.getJob(jobId);
  if (job && (job.status === 'queued' || job.status === 'running') && (deps.busKeepsMessages || !isStale(job))) return { unit, jobId };
  if (job) {
    await deps.store.updateJob(jobId, { status: 'queued', stage: 'parse', error: null, result: null, progress: { done: 0, total: null } });
  } else {
    await deps.store.createJob({ id: jobId, kind: 'ingest', request: { unit: unit.id, name: unit.name, options }, callId, stage: 'parse' });
  }
  const message: ParseMessage = { jobId, unit, options };
  try {
    // The call id makes a retry of this request a duplicate, and a later upload a new attempt.
    await deps.emit('parse', message, messageIdOf('parse', unit.id, callId));
  } catch (err) {
    // Otherwise the job would wait forever for a message that was never sent.
    await deps.store.updateJob(jobId, { status: 'failed', error: { code: 'unavailable', message: `could not start parsing: ${(err as Error).message}` } });
    throw err;
  }
  return { unit, jobId };
}

/**
 * On the in-process bus, a job that has not moved for this long lost its message (a crash, a
 * restart). Parse reports progress twice a second; a long all-or-nothing load can go quiet for a
 * while, not this long.
 */
const STALE_JOB_MS = 10 * 60_000;
const isStale = (job: JobRecord): boolean => Date.now() - Date.parse(job.updatedAt) > STALE_JOB_MS;

async function detectOrFail(deps: IngestDeps, sha256: string, name: string): Promise<Detection> {
  return failUploadOnError(deps.store, sha256, async () => {
    const d = sniff(await deps.blobs.head(sha256, SNIFF_BYTES), name);
    await deps.store.updateUpload(sha256, { format: d.format });
    return d;
  });
}

/** The raw upload stays stored; its row says why it failed, so it can be retried after a fix. */
async function failUploadOnError<T>(store: Store, sha256: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const e = toAppError(err);
    await store.updateUpload(sha256, { status: 'failed', error: { code: e.code, message: e.message, details: e.details ?? null } });
    throw e;
  }
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}
