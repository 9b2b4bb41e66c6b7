/** Samples this process's resident memory, so a benchmark can report its peak. */
export function trackPeakRss(everyMs = 50): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
  note?: string;
}

export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
export const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * Nanoseconds per step of a plain integer loop: a yardstick for the machine itself, so runs on days
 * when the same hardware is slower (shared hosts are) can be told apart from slower code.
 */
export function plainLoopNsPerStep(steps = 300_000_000): number {
  const started = performance.now();
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += i & 7;
  const ns = ((performance.now() - started) * 1e6) / steps;
  if (sum < 0) throw new Error('unreachable: keeps the loop from being optimised away');
  return Math.round(ns * 100) / 100;
}

/**
 * Nanoseconds to touch a 4 KiB page of memory fresh from the operating system. Allocation-heavy work
 * (ingest, start-up, new typed arrays) pays this for every page it grows into; in a virtual machine it
 * varies far more than the speed of a loop does.
 */
export function freshPageTouchNs(bytes = 256 * 1024 * 1024): number {
  const page = 4096;
  const started = performance.now();
  const buffer = Buffer.allocUnsafeSlow(bytes);
  for (let at = 0; at < bytes; at += page) buffer[at] = 1;
  return Math.round(((performance.now() - started) * 1e6) / (bytes / page));
}
