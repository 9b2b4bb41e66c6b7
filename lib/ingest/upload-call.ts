import { IngestOptions } from '../domain/ingest/plan.js';
import { waitForJobs } from '../pipeline/jobs.js';
import { AppError } from '../runtime/errors.js';
import type { FnContext, FnRequest, FnResult } from '../runtime/handler.js';
import { ingestResponse } from './ingest-response.js';
import { receiveBody } from './receive.js';
import { startIngest } from './start-ingest.js';

/**
 * An upload: raw bytes are stored first, then the pipeline takes over. By default the call waits for
 * the jobs (up to SYNC_WAIT_MS) and answers with the summaries; `wait=false` answers 202 at once.
 */
export async function acceptUpload(req: FnRequest, ctx: FnContext): Promise<FnResult> {
  const { store, blobs } = ctx.ports;
  const { config } = ctx;
  const fromQuery = definedOnly({ symbol: req.query.symbol, name: req.query.name, onRejects: req.query.onRejects });
  // A bad option is refused before the file parts after it are read: do not store a large body only to refuse it.
  ingestOptionsOf(fromQuery);
  const body = await receiveBody(req.stream!, req.headers, req.query, blobs, config.MAX_UPLOAD_BYTES, {
    checkFields: (fields) => ingestOptionsOf({ ...fields, ...fromQuery }),
  });
  const options = ingestOptionsOf({ ...body.fields, ...fromQuery });
  const started = await startIngest({ store, blobs, emit: ctx.emit, busKeepsMessages: ctx.ports.bus.kind !== 'memory' }, body.files, options, req.callId, {
    maxUnzippedBytes: config.MAX_UNZIPPED_BYTES,
    maxRatio: config.MAX_ZIP_RATIO,
    maxEntries: config.MAX_ZIP_ENTRIES,
  });
  const ids = started.units.filter((u) => !u.existing).map((u) => u.jobId);
  const wait = req.query.wait !== 'false' && ids.length > 0;
  const { jobs } = wait
    ? await waitForJobs(store, ids, { timeoutMs: config.SYNC_WAIT_MS, signal: ctx.signal })
    : { jobs: await Promise.all(ids.map((id) => store.getJob(id))).then((js) => js.filter((j) => j !== undefined)) };
  return ingestResponse(started, jobs, req.callId);
}

function ingestOptionsOf(raw: Record<string, string>): IngestOptions {
  const parsed = IngestOptions.safeParse(raw);
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0]!;
  throw new AppError('invalid_input', `invalid ingest option ${i.path.join('.')}: ${i.message}`, { field: i.path.join('.'), expected: i.message });
}

function definedOnly(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
