import type { Commission } from '../strategy/spec-schema.js';
import type { CompiledCosts } from './compiled-strategy.js';

/**
 * Every commission type is linear in the traded units, so each reduces to two coefficients:
 * per side = units x (perUnit + price x contractMultiplier x perNotional).
 *   usdPerMillion  rate per 1,000,000 of notional   perNotional = rate / 1e6
 *   percentOfVolume rate % of notional              perNotional = rate / 100
 *   perLot          rate per lot                    perUnit = rate / lotSize
 *   perContract     rate per unit (contract)        perUnit = rate
 * Notional is in the quote currency; the engine assumes it is the deposit currency (no conversion).
 */
export function commissionCoefficients(type: Commission['type'], rate: number, lotSize: number): { perUnit: number; perNotional: number } {
  switch (type) {
    case 'usdPerMillion':
      return { perUnit: 0, perNotional: rate / 1_000_000 };
    case 'percentOfVolume':
      return { perUnit: 0, perNotional: rate / 100 };
    case 'perLot':
      return { perUnit: rate / lotSize, perNotional: 0 };
    case 'perContract':
      return { perUnit: rate, perNotional: 0 };
  }
}

/** Commission for one side (entry or exit) of `units` at `price`, as a positive amount. */
export function commissionPerSide(costs: CompiledCosts, units: number, price: number, contractMultiplier: number): number {
  return units * (costs.commissionPerUnit + price * contractMultiplier * costs.commissionPerNotional);
}
