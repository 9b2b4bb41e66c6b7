import type { BarColumns } from '../../formats/types.js';

/**
 * Deterministic random-walk bars for tests and benchmarks (a seeded generator, so every run sees the
 * same data). Each bar opens at the previous close, moves by a few steps of `volatility` and records
 * its range; prices stay positive.
 */
export interface SyntheticBarOptions {
  seed?: number;
  /** UTC ms of the first bar. */
  start?: number;
  stepMs?: number;
  startPrice?: number;
  /** Largest relative move of each of the four steps inside a bar. */
  volatility?: number;
}

export function syntheticBars(length: number, options: SyntheticBarOptions = {}): BarColumns {
  let state = (options.seed ?? 1) >>> 0 || 1;
  const random = (): number => {
    // xorshift32: tiny, fast and reproducible across platforms.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const start = options.start ?? Date.UTC(2020, 0, 6);
  const stepMs = options.stepMs ?? 60_000;
  const volatility = options.volatility ?? 0.0002;
  const bars: BarColumns = {
    length,
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
  let price = options.startPrice ?? 1.1;
  for (let i = 0; i < length; i++) {
    const open = price;
    let high = open;
    let low = open;
    for (let step = 0; step < 4; step++) {
      price = Math.max(price * (1 + (random() - 0.5) * 2 * volatility), 1e-6);
      if (price > high) high = price;
      if (price < low) low = price;
    }
    bars.time[i] = start + i * stepMs;
    bars.open[i] = open;
    bars.high[i] = high;
    bars.low[i] = low;
    bars.close[i] = price;
    bars.volume[i] = Math.floor(random() * 1000);
  }
  return bars;
}
