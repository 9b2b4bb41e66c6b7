const DAY_MS = 86_400_000;

/**
 * Daily simple returns of an equity column: the curve is resampled to UTC calendar days, keeping the
 * last value of each day, and each day's return is measured against the previous day that has a point
 * (the first day against the starting balance). Days without any point are SKIPPED rather than carried
 * forward: weekends and holidays are not trading periods, and a carried-forward 0 % day would shrink
 * the volatility while periodsPerYear (252) already counts trading days only. The series stops after
 * the equity reaches 0 or below, where a return is no longer defined.
 */
export function dailyReturns(time: Float64Array, equity: Float64Array, startingBalance: number): Float64Array {
  const n = time.length;
  let returns: Float64Array = new Float64Array(dayCapacity(time));
  let count = 0;
  let previousClose = startingBalance;
  // One division per point: each point's day is computed once and compared with the next point's.
  let day = n > 0 ? Math.floor(time[0]! / DAY_MS) : 0;
  for (let i = 0; i < n; i++) {
    const nextDay = i + 1 < n ? Math.floor(time[i + 1]! / DAY_MS) : Number.NaN;
    if (nextDay === day) continue;
    day = nextDay;
    if (previousClose <= 0) break;
    if (count === returns.length) returns = grown(returns, n);
    const close = equity[i]!;
    returns[count++] = close / previousClose - 1;
    previousClose = close;
  }
  return returns.subarray(0, count);
}

/** Only an out-of-order time column (which computeMetrics refuses) can have more day changes than its span. */
function grown(returns: Float64Array, capacity: number): Float64Array {
  const bigger = new Float64Array(capacity);
  bigger.set(returns);
  return bigger;
}

/** Days spanned by a non-decreasing time column, which bounds the number of daily points. */
function dayCapacity(time: Float64Array): number {
  const n = time.length;
  if (n === 0) return 0;
  const span = Math.floor(time[n - 1]! / DAY_MS) - Math.floor(time[0]! / DAY_MS) + 1;
  return span >= 1 && span <= n ? span : n;
}
