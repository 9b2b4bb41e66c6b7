import { mean, requirePositive, rewardOverRisk, sampleStandardDeviation } from './statistics.js';

export interface ReturnStats {
  /** Sample standard deviation (n - 1) of the returns x sqrt(periodsPerYear); null under 2 returns. */
  volatility: number | null;
  /** (prod(1 + r)) ^ (periodsPerYear / n) - 1; -1 once the compounded equity reaches 0 or below. */
  cagr: number | null;
  /** mean(r - rf) / sampleStdev(r) x sqrt(periodsPerYear); null under 2 returns. */
  sharpe: number | null;
  /** mean(r - rf) / sqrt(mean(min(r - rf, 0)^2)) x sqrt(periodsPerYear); null under 2 returns. */
  sortino: number | null;
  /** Deepest fall of the compounded equity (starting at 1) below its running peak, as a fraction <= 0. */
  maxDrawdown: number;
  /** cagr / |maxDrawdown|. */
  calmar: number | null;
}

/**
 * Risk and return statistics of a series of simple periodic returns (0.01 = +1 %), the core that the
 * daily Sharpe/Sortino of a backtest and any monthly or yearly report share.
 *
 * - volatility = s x sqrt(P), s the SAMPLE standard deviation (divide by n - 1).
 * - sharpe = mean(r - rf) / s x sqrt(P): the annualised mean over the annualised volatility, not CAGR
 *   over volatility.
 * - sortino = mean(r - rf) / d x sqrt(P) with the downside deviation d = sqrt(sum(min(r - rf, 0)^2) / n)
 *   taken over ALL n periods (periods above the target count as 0), not the deviation of the negative
 *   returns alone.
 * - cagr = G ^ (P / n) - 1 with G = prod(1 + r): compounded growth over n / P years.
 * - maxDrawdown = min over t of E_t / max(E_0..E_t) - 1, with E_0 = 1 and E_t = E_(t-1) (1 + r_t).
 * - calmar = cagr / |maxDrawdown|.
 * where P = periodsPerYear and rf = (1 + riskFreeRate) ^ (1 / P) - 1, the annual rate compounded down
 * to one period. Zero risk follows rewardOverRisk (+-Infinity or null); with no returns every ratio is
 * null and maxDrawdown is 0.
 *
 * Pinned by a golden test: 24 monthly returns, P = 12, give volatility 0.13700015867969229, CAGR
 * 0.10367828972980941, Sharpe 0.7883202548144859, Sortino 1.3592165786838633, max drawdown
 * -0.144672955739218 and Calmar 0.7166390511623746.
 */
export function returnStats(returns: Float64Array, periodsPerYear: number, riskFreeRate = 0): ReturnStats {
  requirePositive('periodsPerYear', periodsPerYear);
  if (!Number.isFinite(riskFreeRate) || riskFreeRate <= -1) {
    throw new RangeError(`riskFreeRate must be a finite fraction > -1, got ${String(riskFreeRate)}`);
  }
  const count = returns.length;
  const maxDrawdown = compoundedMaxDrawdown(returns);
  const cagr = count === 0 ? null : compoundAnnualGrowth(returns, periodsPerYear);
  const calmar = cagr === null ? null : rewardOverRisk(cagr, -maxDrawdown);
  if (count < 2) return { volatility: null, cagr, sharpe: null, sortino: null, maxDrawdown, calmar };

  const annualisation = Math.sqrt(periodsPerYear);
  const perPeriodRiskFree = (1 + riskFreeRate) ** (1 / periodsPerYear) - 1;
  const averageReturn = mean(returns);
  const deviation = sampleStandardDeviation(returns, averageReturn);
  const averageExcess = averageReturn - perPeriodRiskFree;
  return {
    volatility: deviation * annualisation,
    cagr,
    sharpe: scaled(rewardOverRisk(averageExcess, deviation), annualisation),
    sortino: scaled(rewardOverRisk(averageExcess, downsideDeviation(returns, perPeriodRiskFree)), annualisation),
    maxDrawdown,
    calmar,
  };
}

function scaled(ratio: number | null, factor: number): number | null {
  return ratio === null ? null : ratio * factor;
}

function downsideDeviation(returns: Float64Array, target: number): number {
  let squares = 0;
  for (let i = 0; i < returns.length; i++) {
    const shortfall = Math.min(returns[i]! - target, 0);
    squares += shortfall * shortfall;
  }
  return Math.sqrt(squares / returns.length);
}

function compoundAnnualGrowth(returns: Float64Array, periodsPerYear: number): number {
  let growth = 1;
  for (let i = 0; i < returns.length; i++) growth *= 1 + returns[i]!;
  // A wiped-out account has no growth rate to annualise (a negative base has no real root): it lost all.
  if (growth <= 0) return -1;
  return growth ** (periodsPerYear / returns.length) - 1;
}

function compoundedMaxDrawdown(returns: Float64Array): number {
  let equity = 1;
  let peak = 1;
  let deepest = 0;
  for (let i = 0; i < returns.length; i++) {
    equity *= 1 + returns[i]!;
    if (equity > peak) peak = equity;
    const drawdown = equity / peak - 1;
    if (drawdown < deepest) deepest = drawdown;
  }
  return deepest;
}
