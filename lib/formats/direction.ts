import type { Direction } from '../domain/trade.js';

/** `Buy`/`Sell` as cTrader writes them (any case), and `Long`/`Short` as other tools do. */
export function parseDirection(text: string): Direction | undefined {
  // cTrader's own spelling first: no trimming or lower-casing allocations on a million rows.
  if (text === 'Buy') return 'buy';
  if (text === 'Sell') return 'sell';
  switch (text.trim().toLowerCase()) {
    case 'buy':
    case 'long':
      return 'buy';
    case 'sell':
    case 'short':
      return 'sell';
    default:
      return undefined;
  }
}
