/**
 * Backtest engine throughput. Run alone: `node --import tsx scripts/bench/backtest-engine.ts`.
 *   1. sma-cross (library spec: commission + spread) on 1,000,000 synthetic one-minute bars, one core:
 *      bar-steps per second for a whole runBacktest (signals, loop, trades, metrics), with the
 *      indicators already cached (what every optimisation candidate after the first sees) and cold.
 *   2. runBatch: 400 sma-cross candidates (10 fast x 40 slow periods) on 100,000 bars, single-threaded.
 */
import { pathToFileURL } from 'node:url';
import { compileStrategy, IndicatorCache, runBacktest, runBatch, syntheticBars } from '../../lib/domain/backtest/index.js';
import { loadLibrarySpec } from '../../lib/domain/strategy/index.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

const BARS = 1_000_000;
const BATCH_BARS = 100_000;

function bestOf(times: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

export async function run(): Promise<BenchResult[]> {
  const spec = loadLibrarySpec('sma-cross');
  const bars = syntheticBars(BARS, { seed: 7 });
  const strategy = compileStrategy(spec, { fastPeriod: 10, slowPeriod: 50 });
  const options = { symbol: 'EURUSD', startingBalance: 100_000, dataKey: 'bench-1m' };

  const coldMs = bestOf(3, () => runBacktest(bars, strategy, options, new IndicatorCache()));
  const cache = new IndicatorCache();
  runBacktest(bars, strategy, options, cache);
  const warmMs = bestOf(10, () => runBacktest(bars, strategy, { ...options, validateBars: false }, cache));
  const trades = runBacktest(bars, strategy, options, cache).trades.length;

  const batchBars = syntheticBars(BATCH_BARS, { seed: 11 });
  const wideSpec = structuredClone(spec);
  const slow = wideSpec.parameters.slowPeriod!;
  if (slow.type === 'int') slow.max = 410;
  const candidates: Record<string, number>[] = [];
  for (let fastPeriod = 5; fastPeriod <= 50; fastPeriod += 5) {
    for (let slowPeriod = 20; slowPeriod <= 410; slowPeriod += 10) candidates.push({ fastPeriod, slowPeriod });
  }
  const batchOptions = { symbol: 'EURUSD', startingBalance: 100_000, dataKey: 'bench-100k' };
  const batchMs = bestOf(3, () => runBatch(batchBars, wideSpec, candidates, batchOptions));

  const millionBars = BARS.toLocaleString('en');
  return [
    {
      name: `sma-cross with costs, ${millionBars} bars, bars validated once, indicators cached (${trades} trades)`,
      value: Math.round(BARS / (warmMs / 1000)),
      unit: 'bar-steps/s',
      target: '>= 30,000,000',
    },
    {
      name: `sma-cross with costs, ${millionBars} bars, cold (bars validated, indicators computed)`,
      value: Math.round(BARS / (coldMs / 1000)),
      unit: 'bar-steps/s',
    },
    {
      name: `runBatch ${candidates.length} candidates x ${BATCH_BARS.toLocaleString('en')} bars, one thread`,
      value: Math.round(batchMs),
      unit: 'ms',
      target: '<= 2500 single-threaded (<= 1500 on 2 workers)',
    },
    {
      name: 'runBatch throughput, one thread',
      value: Math.round((candidates.length * BATCH_BARS) / (batchMs / 1000)),
      unit: 'bar-steps/s',
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) {
    console.log(`${result.name}: ${result.value.toLocaleString('en')} ${result.unit}${result.target ? ` (target ${result.target})` : ''}`);
  }
}
