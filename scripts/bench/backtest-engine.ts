/**
 * Backtest engine throughput. Run alone: `node --import tsx scripts/bench/backtest-engine.ts`.
 *   1. sma-cross (library spec: commission + spread) on 1,000,000 synthetic one-minute bars, one core:
 *      bar-steps per second for a whole runBacktest (signals, loop, trades, metrics), with the
 *      indicators already cached (what every optimisation candidate after the first sees) and cold.
 *   2. runBatch: 400 sma-cross candidates (10 fast x 40 slow periods) on 100,000 bars, single-threaded.
 *   3. computeMetrics alone: 1,000,000 seeded trades and a 1,000,000-point curve (docs/metrics.md).
 */
import { pathToFileURL } from 'node:url';
import { compileStrategy, IndicatorCache, runBacktest, runBatch, syntheticBars } from '../../lib/domain/backtest/index.js';
import { computeMetrics, type ClosedTradeColumns, type EquityCurve } from '../../lib/domain/metrics/index.js';
import { loadLibrarySpec } from '../../lib/domain/strategy/index.js';
import { seededRandom } from '../../lib/domain/random.js';
import type { BenchResult } from './measure.js';

const BARS = 1_000_000;
const METRIC_TRADES = 1_000_000;
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

  const { trades: closed, curve } = metricInputs(METRIC_TRADES);
  const metricsMs = bestOf(5, () => computeMetrics(closed, curve, 100_000));

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
    {
      name: `computeMetrics, ${METRIC_TRADES.toLocaleString('en')} trades and a curve point per trade`,
      value: Math.round(metricsMs),
      unit: 'ms',
    },
  ];
}

/** A trade every 5 minutes, closing in order, with a seeded mix of wins and losses; the curve steps at each close. */
function metricInputs(n: number): { trades: ClosedTradeColumns; curve: EquityCurve } {
  const random = seededRandom(3);
  const trades: ClosedTradeColumns = {
    entryTime: new Float64Array(n),
    exitTime: new Float64Array(n),
    net: new Float64Array(n),
    gross: new Float64Array(n),
    commission: new Float64Array(n),
    direction: new Uint8Array(n),
  };
  const curve: EquityCurve = { time: new Float64Array(n), balance: new Float64Array(n), equity: new Float64Array(n) };
  const start = Date.UTC(2015, 0, 1);
  let balance = 100_000;
  for (let i = 0; i < n; i++) {
    const exit = start + (i + 1) * 300_000;
    const commission = -3;
    const gross = (random() - 0.48) * 100;
    trades.entryTime[i] = exit - 240_000;
    trades.exitTime[i] = exit;
    trades.gross[i] = gross;
    trades.commission[i] = commission;
    trades.net[i] = gross + commission;
    trades.direction[i] = random() < 0.5 ? 0 : 1;
    balance += gross + commission;
    curve.time[i] = exit;
    curve.balance[i] = balance;
    curve.equity[i] = balance - random() * 20;
  }
  return { trades, curve };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) {
    console.log(`${result.name}: ${result.value.toLocaleString('en')} ${result.unit}${result.target ? ` (target ${result.target})` : ''}`);
  }
}
