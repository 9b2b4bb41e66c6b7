import type { Logger } from '../runtime/logger.js';

const PROGRESS_EVERY_MS = 500;

export type ProgressReporter<A extends unknown[]> = ((...args: A) => void) & {
  /** Waits for the last write, so that it cannot land after the stage's next job update. */
  settled(): Promise<void>;
};

/**
 * Job progress for a hot loop: at most one write per half second, never awaited by the caller, and a
 * failed write is logged rather than failing the stage (progress is advice; the result is not).
 */
export function throttledProgress<A extends unknown[]>(write: (...args: A) => Promise<void>, log: Logger, everyMs = PROGRESS_EVERY_MS): ProgressReporter<A> {
  let last = 0;
  let pending: Promise<void> = Promise.resolve();
  const report = (...args: A) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    pending = write(...args).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'progress update failed'));
  };
  return Object.assign(report, { settled: () => pending });
}
