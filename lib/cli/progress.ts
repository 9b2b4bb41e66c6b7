import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** Progress bars on a terminal; nothing at all for --json or when stderr is not a terminal. */
export interface Progress {
  bar(label: string, total: number, unit: string): { update(done: number, total?: number): void; done(): void };
  stop(): void;
}

export function makeProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) {
    return { bar: () => ({ update() {}, done() {} }), stop() {} };
  }
  const multi = new MultiBar(
    { stream: process.stderr, clearOnComplete: false, hideCursor: true, format: ' {label} [{bar}] {percentage}% | {value}/{total} {unit}' },
    Presets.shades_classic,
  );
  return {
    bar(label, total, unit) {
      const bar: SingleBar = multi.create(Math.max(1, total), 0, { label: label.padEnd(28).slice(0, 28), unit });
      return {
        update(done, newTotal) {
          if (newTotal !== undefined && newTotal > 0) bar.setTotal(newTotal);
          bar.update(done);
        },
        done() {
          bar.update(bar.getTotal());
          bar.stop();
        },
      };
    },
    stop() {
      multi.stop();
    },
  };
}
