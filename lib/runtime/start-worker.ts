import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on `module` (a `.ts` URL from sources, `.js` when compiled): the one way the
 * platform moves CPU-heavy work off the thread that answers calls.
 */
export function startWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, options);
  const workerData = { ...(options.workerData as Record<string, unknown> | undefined), tsWorkerEntry: module.href };
  return new Worker(new URL('./ts-worker.mjs', import.meta.url), { ...options, workerData });
}

/** The sibling module `name` of a caller, as .ts from sources or .js when compiled. */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}
