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
