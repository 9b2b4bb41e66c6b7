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
  const returns = new Float64Array(countDays(time));
  let count = 0;
  let previousClose = startingBalance;
  for (let i = 0; i < time.length; i++) {
    const isLastOfDay = i === time.length - 1 || Math.floor(time[i + 1]! / DAY_MS) !== Math.floor(time[i]! / DAY_MS);
    if (!isLastOfDay) continue;
    if (previousClose <= 0) break;
    const close = equity[i]!;
    returns[count++] = close / previousClose - 1;
    previousClose = close;
  }
  return returns.subarray(0, count);
}

function countDays(time: Float64Array): number {
  let days = 0;
  for (let i = 0; i < time.length; i++) {
    if (i === 0 || Math.floor(time[i]! / DAY_MS) !== Math.floor(time[i - 1]! / DAY_MS)) days++;
  }
  return days;
}
