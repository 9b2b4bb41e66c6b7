import { AppError } from '../../../runtime/errors.js';
import { parseStrategySpec } from '../parse-spec.js';
import type { StrategySpec } from '../spec-schema.js';
import bollingerBreakout from './bollinger-breakout.json' with { type: 'json' };
import donchianBreakout from './donchian-breakout.json' with { type: 'json' };
import emaCross from './ema-cross.json' with { type: 'json' };
import rsiReversion from './rsi-reversion.json' with { type: 'json' };
import smaCross from './sma-cross.json' with { type: 'json' };

/** Ready-made specs, as JSON documents a trader can copy, each a starting point for optimisation. */
const LIBRARY: Readonly<Record<string, unknown>> = Object.freeze({
  'sma-cross': smaCross,
  'ema-cross': emaCross,
  'rsi-reversion': rsiReversion,
  'bollinger-breakout': bollingerBreakout,
  'donchian-breakout': donchianBreakout,
});

export const LIBRARY_SPEC_NAMES = Object.keys(LIBRARY);

/** Every library spec, parsed (a fresh copy each call, so callers may modify what they get). */
export function strategyLibrary(): StrategySpec[] {
  return LIBRARY_SPEC_NAMES.map(loadLibrarySpec);
}

export function loadLibrarySpec(name: string): StrategySpec {
  if (!Object.hasOwn(LIBRARY, name)) {
    throw new AppError('not_found', `no library strategy "${name}"; available: ${LIBRARY_SPEC_NAMES.join(', ')}`, {
      field: 'name',
      expected: LIBRARY_SPEC_NAMES.join(', '),
      found: name,
    });
  }
  return parseStrategySpec(structuredClone(LIBRARY[name]));
}
