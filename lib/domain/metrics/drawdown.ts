export interface Drawdown {
  /** Largest peak-to-point fall, in the curve's currency; >= 0. */
  absolute: number;
  /** Largest fall relative to the peak it fell from, in percent 0-100. */
  percent: number;
}

/**
 * Maximum drawdown of a balance or equity column. The running peak starts at the starting balance,
 * so a curve whose first point is already below it counts that loss. Absolute and percent maxima are
 * tracked separately, as cTrader reports them: the deepest fall in money and the deepest fall in
 * percent can happen at different times (a small account's fall weighs more in percent). A peak at or
 * below 0 has no meaningful percentage and adds nothing to `percent`.
 */
export function maxDrawdown(values: Float64Array, startingBalance: number): Drawdown {
  let peak = startingBalance;
  let absolute = 0;
  let percent = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value > peak) {
      peak = value;
      continue;
    }
    const fall = peak - value;
    if (fall > absolute) absolute = fall;
    if (peak > 0 && (fall / peak) * 100 > percent) percent = (fall / peak) * 100;
  }
  return { absolute, percent };
}
