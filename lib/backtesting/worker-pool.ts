import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../runtime/start-worker.js';
import { AppError } from '../runtime/errors.js';
import type { HeldBars } from './bar-memory.js';
import type { BatchExecutor } from './executor.js';
import type { CandidateRun, ChunkJob } from './run-chunk.js';
import type { SharedBars } from './shared-bars.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

interface Task {
  id: number;
  job: ChunkJob;
  shared: SharedBars;
  signal: AbortSignal | undefined;
  resolve(runs: CandidateRun[]): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
  /** Datasets this worker has been sent; a later chunk of one of them travels without its bars. */
  datasets: Set<string>;
}

export interface WorkerPoolOptions {
  /** Chunks per thread a batch is cut into, so a thread that finishes early takes more (default 4). */
  chunksPerThread?: number;
  /** The worker module; by default pool-worker beside this file. */
  entry?: URL;
}

/**
 * A fixed set of worker threads running batch chunks. Workers start on first use and are kept: each
 * holds the bars it was sent (shared memory, sent once per dataset per worker) and their indicators,
 * so later calls on the same data start warm. A batch is cut into a few chunks per thread and chunks
 * go to whichever worker is free. An idle worker is unref()ed, so an idle pool never keeps a process
 * alive; `close()` terminates the workers (the runtime calls it when the platform shuts down).
 */
export class WorkerPool implements BatchExecutor {
  private slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextTaskId = 1;
  private barsSent = 0;
  private closed = false;
  private readonly chunksPerThread: number;
  private readonly entry: URL;

  constructor(
    readonly threads: number,
    options: WorkerPoolOptions = {},
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`a worker pool needs at least one thread, got ${threads}`);
    this.chunksPerThread = options.chunksPerThread ?? 4;
    this.entry = options.entry ?? defaultEntry();
  }

  /** Starts the workers now rather than with the first chunk, so they load their code meanwhile. */
  prepare(): void {
    if (this.closed) throw closedError();
    while (this.slots.length < this.threads) this.slots.push(this.spawn());
  }

  async run(data: HeldBars, job: Omit<ChunkJob, 'dataKey'>, signal?: AbortSignal): Promise<CandidateRun[]> {
    if (this.closed) throw closedError();
    if (job.candidates.length === 0) return [];
    this.prepare();
    const size = Math.max(1, Math.ceil(job.candidates.length / (this.threads * this.chunksPerThread)));
    const chunks: Promise<CandidateRun[]>[] = [];
    for (let at = 0; at < job.candidates.length; at += size) {
      const chunk: ChunkJob = { ...job, dataKey: data.dataKey, candidates: job.candidates.slice(at, at + size) };
      chunks.push(this.submit(chunk, data.shared, signal));
    }
    return (await Promise.all(chunks)).flat();
  }

  forget(dataKey: string): void {
    for (const slot of this.slots) {
      if (slot.datasets.delete(dataKey)) slot.worker.postMessage({ type: 'forget', dataKey } satisfies ToWorker);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(closedError());
    const slots = this.slots;
    this.slots = [];
    for (const slot of slots) slot.task?.reject(closedError());
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** `barsSent`: how many times a dataset's (shared) bars went to a worker: once per dataset per worker. */
  get stats(): { threads: number; started: number; busy: number; queued: number; barsSent: number } {
    return {
      threads: this.threads,
      started: this.slots.length,
      busy: this.slots.filter((s) => s.task).length,
      queued: this.queue.length,
      barsSent: this.barsSent,
    };
  }

  private submit(job: ChunkJob, shared: SharedBars, signal: AbortSignal | undefined): Promise<CandidateRun[]> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(closedError());
      this.queue.push({ id: this.nextTaskId++, job, shared, signal, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    while (this.slots.length < this.threads) this.slots.push(this.spawn());
    for (const slot of this.slots) {
      if (slot.task) continue;
      const task = this.nextTask();
      if (!task) return;
      this.assign(slot, task);
    }
  }

  /** The next queued task whose call has not been cancelled (a cancelled call's chunks are dropped). */
  private nextTask(): Task | undefined {
    for (;;) {
      const task = this.queue.shift();
      if (!task || !task.signal?.aborted) return task;
      task.reject(closedError());
    }
  }

  private assign(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.ref();
    const first = !slot.datasets.has(task.job.dataKey);
    slot.datasets.add(task.job.dataKey);
    if (first) this.barsSent++;
    slot.worker.postMessage({ type: 'run', taskId: task.id, job: task.job, ...(first ? { bars: task.shared } : {}) } satisfies ToWorker);
  }

  private spawn(): Slot {
    const worker = startWorker(this.entry, { name: 'backtest-worker' });
    const slot: Slot = { worker, task: undefined, datasets: new Set() };
    worker.on('message', (message: FromWorker) => {
      const task = slot.task;
      if (!task || task.id !== message.taskId) return;
      slot.task = undefined;
      worker.unref();
      if (message.type === 'done') task.resolve(message.runs);
      else task.reject(workerError(message.error));
      this.pump();
    });
    // An uncaught error ends the worker; 'exit' follows and fails its task.
    worker.on('error', (err) => {
      slot.task?.reject(new AppError('internal', 'internal error', undefined, { cause: err }));
      slot.task = undefined;
    });
    worker.on('exit', (code) => {
      this.slots = this.slots.filter((s) => s !== slot);
      if (slot.task) {
        slot.task.reject(new AppError('internal', 'internal error', undefined, { cause: new Error(`backtest worker exited with code ${code}`) }));
        slot.task = undefined;
      }
      // A replacement starts with the next chunk (pump fills the pool up again).
      if (!this.closed && this.queue.length > 0) this.pump();
    });
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    return slot;
  }
}

function defaultEntry(): URL {
  return siblingModule(import.meta.url, 'pool-worker');
}

function closedError(): AppError {
  return new AppError('unavailable', 'the backtest workers are shutting down; try again');
}

function workerError(e: Extract<FromWorker, { type: 'failed' }>['error']): AppError {
  if (e.code !== 'internal') return new AppError(e.code, e.message, e.details);
  const cause = new Error(e.message);
  if (e.stack) cause.stack = e.stack;
  return new AppError('internal', 'internal error', undefined, { cause });
}
