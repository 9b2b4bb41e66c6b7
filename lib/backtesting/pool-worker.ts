import { parentPort } from 'node:worker_threads';
import { toAppError } from '../runtime/errors.js';
import { DatasetWorkspace, runChunk } from './run-chunk.js';
import { barViews } from './shared-bars.js';
import { transferablesOf, type FromWorker, type ToWorker } from './worker-protocol.js';

/**
 * A backtest worker thread: holds the bars of the datasets it has been sent (views over the main
 * thread's shared memory) with an indicator cache each, and runs chunks of candidates on them.
 */
const port = parentPort;
if (!port) throw new Error('pool-worker.ts runs as a worker thread');

const workspaces = new Map<string, DatasetWorkspace>();

port.on('message', (message: ToWorker) => {
  if (message.type === 'forget') {
    workspaces.delete(message.dataKey);
    return;
  }
  const { taskId, job } = message;
  try {
    if (message.bars) workspaces.set(job.dataKey, new DatasetWorkspace(barViews(message.bars)));
    const workspace = workspaces.get(job.dataKey);
    if (!workspace) throw new Error(`worker holds no bars for dataset ${job.dataKey}`);
    const runs = runChunk(workspace, job);
    port.postMessage({ type: 'done', taskId, runs } satisfies FromWorker, transferablesOf(runs));
  } catch (err) {
    const e = toAppError(err);
    const cause = e.code === 'internal' ? (e.cause as Error | undefined) : undefined;
    const error: Extract<FromWorker, { type: 'failed' }>['error'] = {
      code: e.code,
      message: cause?.message ?? e.message,
      ...(e.details ? { details: e.details } : {}),
      ...(cause?.stack ? { stack: cause.stack } : {}),
    };
    port.postMessage({ type: 'failed', taskId, error } satisfies FromWorker);
  }
});
