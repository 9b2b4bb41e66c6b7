import type { CompiledCosts, CompiledInstrument, CompiledSizing } from './compiled-strategy.js';

export interface SizingContext {
  /** Equity at the moment of the fill (open positions marked at the fill bar's price). */
  equity: number;
  /** Equity not tied up in open positions (their margin, or their entry notional when fully funded). */
  freeEquity: number;
  /** Fill price of the entry. */
  price: number;
  /** Distance to the initial stop in price; NaN without a stop. */
  stopDistance: number;
}

/**
 * Units to trade, rounded DOWN to the volume step (never more risk or money than asked); 0 means the
 * order is skipped.
 *   fixedUnits   the units (fixed lots are converted at compile time: lots x lotSize)
 *   riskPercent  equity x fraction / (stop distance x contractMultiplier): a stop hit loses that much
 *                before costs
 *   allEquity    free equity / (price x contractMultiplier + commission per unit), or with margin
 *                free equity / (margin per unit + commission per unit)
 */
export function unitsToTrade(sizing: CompiledSizing, context: SizingContext, instrument: CompiledInstrument, costs: CompiledCosts): number {
  let units: number;
  switch (sizing.kind) {
    case 'fixedUnits':
      units = sizing.units;
      break;
    case 'riskPercent':
      units = (context.equity * sizing.fraction) / (context.stopDistance * instrument.contractMultiplier);
      break;
    case 'allEquity': {
      const commissionPerUnit = costs.commissionPerUnit + context.price * instrument.contractMultiplier * costs.commissionPerNotional;
      const capitalPerUnit = instrument.marginPerUnit > 0 ? instrument.marginPerUnit : context.price * instrument.contractMultiplier;
      const costPerUnit = capitalPerUnit + commissionPerUnit;
      units = context.freeEquity / costPerUnit;
      break;
    }
  }
  if (!(units > 0)) return 0;
  const step = instrument.volumeStep;
  // The epsilon keeps 0.1 lot x 100000 (= 10000.000000000002) from flooring to a step below.
  return Math.floor(units / step + 1e-9) * step;
}
