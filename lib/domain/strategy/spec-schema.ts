import { z } from 'zod';
import { Condition, SideRules } from './conditions-schema.js';
import { NumberOrParam, ParamRef, ParameterSpace, PARAMETER_NAME } from './parameters-schema.js';

/**
 * The strategy spec: a JSON document saying what a cBot does. The same document is backtested,
 * optimised (its parameters are the search space) and turned into C#. Zod checks its shape here;
 * references between its parts (parameters, indicators, series) are checked by `parseStrategySpec`.
 * The language is described with an example in docs/backtest.md.
 */

export const IndicatorSpec = z.strictObject({
  /** How rules refer to it: `fast`, or `bands.upper` for one output of a multi-output indicator. */
  id: z.string().regex(PARAMETER_NAME, 'indicator ids must be identifiers (letters, digits, _)'),
  /** A name from the INDICATORS registry, or an enum parameter whose values are such names (an "MA type" input). */
  type: z.union([z.string().min(1), ParamRef], { error: 'expected an indicator name or {"param": name}' }),
  /** Price source of series indicators; close when absent. May be an enum parameter over price sources. */
  source: z.union([z.string().min(1), ParamRef], { error: 'expected a price source name or {"param": name}' }).optional(),
  /** The indicator's own parameters (registry names); missing ones take the registry's defaults. */
  params: z.record(z.string(), NumberOrParam).optional(),
});
export type IndicatorSpec = z.infer<typeof IndicatorSpec>;

/** A stop or target distance from the entry price. */
export const Distance = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pips'), pips: NumberOrParam }),
  /** In price units (0.0020 on EURUSD, 15 on an index). */
  z.strictObject({ type: z.literal('price'), distance: NumberOrParam }),
  /** `multiple` x the value of an `atr` indicator on the bar the order was decided. */
  z.strictObject({ type: z.literal('atr'), indicator: z.string().min(1), multiple: NumberOrParam }),
]);
export type Distance = z.infer<typeof Distance>;

export const TrailingStop = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pips'), pips: NumberOrParam }),
  z.strictObject({ type: z.literal('atr'), indicator: z.string().min(1), multiple: NumberOrParam }),
]);
export type TrailingStop = z.infer<typeof TrailingStop>;

export const Sizing = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixedLots'), lots: NumberOrParam }),
  z.strictObject({ type: z.literal('fixedUnits'), units: NumberOrParam }),
  /** Size so that hitting the stop loses this percent of equity; needs a stop loss or trailing stop. */
  z.strictObject({ type: z.literal('riskPercent'), percent: NumberOrParam }),
  /** As many whole volume steps as the equity pays for (or, with margin, covers in margin). */
  z.strictObject({ type: z.literal('allEquity') }),
]);
export type Sizing = z.infer<typeof Sizing>;

export const Risk = z.strictObject({
  stopLoss: Distance.optional(),
  takeProfit: Distance.optional(),
  trailingStop: TrailingStop.optional(),
  sizing: Sizing,
});
export type Risk = z.infer<typeof Risk>;

export const Positions = z.discriminatedUnion('mode', [
  /** At most one position; entries are ignored while one is open. */
  z.strictObject({ mode: z.literal('single') }),
  /** Up to `max` positions at once, longs and shorts independently (a cTrader hedging account). */
  z.strictObject({ mode: z.literal('hedging'), max: z.union([z.number().int().positive(), ParamRef]) }),
  /** One net position per symbol: an opposite entry reverses it (a cTrader netting account). */
  z.strictObject({ mode: z.literal('netting') }),
]);
export type Positions = z.infer<typeof Positions>;

const positive = z.number().positive();

/** What is traded. Profit is (exit - entry) x units x contractMultiplier in the deposit currency. */
export const Instrument = z.strictObject({
  /** Price distance of one pip (0.0001 on EURUSD, 0.01 on USDJPY, 1 on many indices). */
  pipSize: positive,
  /** Units per lot, as cTrader's LotSize (100000 on FX majors, 1 on futures-like contracts). */
  lotSize: positive,
  /** Money per unit per point of price (futures point value); 1 for FX and CFDs. */
  contractMultiplier: positive.default(1),
  /**
   * Margin held per unit while a position is open (futures-like). When set, entries that the free
   * equity cannot cover are rejected and allEquity sizing spends margin instead of notional.
   */
  marginPerContract: positive.optional(),
  /** Price decimals; stop and target levels are rounded to them. */
  digits: z.number().int().min(0).max(10).optional(),
  /** Smallest tradeable volume increment in units; sizes are rounded down to it. */
  volumeStep: positive.default(1),
});
export type Instrument = z.infer<typeof Instrument>;

/** cTrader's commission types plus per-contract, each charged on every side (entry and exit). */
export const Commission = z.discriminatedUnion('type', [
  /** Per million of traded notional (units x price x multiplier), in deposit currency. */
  z.strictObject({ type: z.literal('usdPerMillion'), value: NumberOrParam }),
  z.strictObject({ type: z.literal('perLot'), value: NumberOrParam }),
  /** Percent of traded notional: 0.1 means 0.1 %. */
  z.strictObject({ type: z.literal('percentOfVolume'), value: NumberOrParam }),
  z.strictObject({ type: z.literal('perContract'), value: NumberOrParam }),
]);
export type Commission = z.infer<typeof Commission>;

export const Costs = z.strictObject({
  commission: Commission.optional(),
  /** Bars are bid prices; buys fill at ask = bid + spread. */
  spreadPips: NumberOrParam.optional(),
  /** Adverse slippage on market orders and stops; targets (limit orders) fill at their level. */
  slippagePips: NumberOrParam.optional(),
});
export type Costs = z.infer<typeof Costs>;

export const FILL_TIMINGS = ['nextOpen', 'thisClose'] as const;
export const Fills = z.strictObject({
  /** Market orders decided on a bar's close fill at the next bar's open (default) or at that close. */
  market: z.enum(FILL_TIMINGS).default('nextOpen'),
});
export type Fills = z.infer<typeof Fills>;

export const StrategySpec = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: ParameterSpace.default({}),
  indicators: z.array(IndicatorSpec).default([]),
  rules: z
    .strictObject({ long: SideRules.optional(), short: SideRules.optional() })
    .refine((rules) => rules.long !== undefined || rules.short !== undefined, 'needs entry rules for long, short or both'),
  risk: Risk,
  positions: Positions.default({ mode: 'single' }),
  instrument: Instrument,
  costs: Costs.default({}),
  fills: Fills.default({ market: 'nextOpen' }),
});
/** A parsed spec (defaults applied). */
export type StrategySpec = z.infer<typeof StrategySpec>;
/** A spec as written, before defaults. */
export type StrategySpecInput = z.input<typeof StrategySpec>;

export { Condition, SideRules };
