import type { IndicatorName, PriceSourceName } from '../indicators/index.js';
import type { ComparisonOperator, CrossRule } from '../strategy/conditions-schema.js';
import type { ParameterValues } from '../strategy/parameters-schema.js';

/**
 * A spec with one set of parameter values resolved into plain numbers: what the engine runs. Built by
 * `compileStrategy`; holds no bar data, so one compiled plan runs on any bars.
 */
export interface CompiledStrategy {
  name: string;
  parameters: ParameterValues;
  indicators: CompiledIndicator[];
  long: CompiledSide | null;
  short: CompiledSide | null;
  stopLoss: CompiledDistance | null;
  takeProfit: CompiledDistance | null;
  trailingStop: CompiledDistance | null;
  sizing: CompiledSizing;
  positionMode: 'single' | 'hedging' | 'netting';
  /** Most positions open at once: 1 unless hedging. */
  maxPositions: number;
  instrument: CompiledInstrument;
  costs: CompiledCosts;
  /** When market orders decided on a bar's close fill. */
  fillAt: 'nextOpen' | 'thisClose';
  /** The indicator with the longest warm-up, for the "too few bars" error; null without indicators. */
  slowestIndicator: CompiledIndicator | null;
  /** Fewest bars that give the slowest indicator one value and one more bar to act on it. */
  requiredBars: number;
}

export interface CompiledIndicator {
  id: string;
  type: IndicatorName;
  /** Every registry parameter, defaults filled in. */
  params: Record<string, number>;
  source: PriceSourceName;
  /** Leading bars without a value (registry warm-up). */
  warmup: number;
  /** Identifies the computation regardless of the id it has in a spec: type, source, params. */
  cacheKey: string;
}

export interface CompiledSide {
  entry: CompiledCondition;
  exit: CompiledCondition | null;
}

export type SeriesSource = { kind: 'price'; field: PriceSourceName } | { kind: 'indicator'; index: number; output: string };

export type CompiledOperand = { kind: 'constant'; value: number } | { kind: 'series'; source: SeriesSource; barsAgo: number };

export type CompiledCondition =
  | { kind: 'cross'; direction: 'above' | 'below'; rule: CrossRule; left: CompiledOperand; right: CompiledOperand }
  | { kind: 'compare'; operator: ComparisonOperator; left: CompiledOperand; right: CompiledOperand }
  | { kind: 'all'; conditions: CompiledCondition[] }
  | { kind: 'any'; conditions: CompiledCondition[] }
  | { kind: 'not'; condition: CompiledCondition }
  | { kind: 'constant'; value: boolean }
  /** Bit d set (0 = Sunday) when bars opening on UTC weekday d pass. */
  | { kind: 'weekday'; mask: number }
  /** Bars whose UTC open minute lies in any window [from, to); from > to wraps midnight. */
  | { kind: 'minutes'; windows: { from: number; to: number }[] };

/** A stop/target distance in price units, fixed or `multiple` x an ATR indicator on the decision bar. */
export type CompiledDistance = { kind: 'price'; distance: number } | { kind: 'atr'; indicator: number; multiple: number };

export type CompiledSizing =
  | { kind: 'fixedUnits'; units: number }
  | { kind: 'riskPercent'; fraction: number }
  | { kind: 'allEquity' };

export interface CompiledInstrument {
  pipSize: number;
  lotSize: number;
  contractMultiplier: number;
  /** 0 when the instrument is fully funded (no margin model). */
  marginPerUnit: number;
  digits: number | null;
  volumeStep: number;
}

/**
 * Costs as coefficients. Commission per side = units x (perUnit + price x contractMultiplier x perNotional),
 * which covers all four commission types (see costs.ts).
 */
export interface CompiledCosts {
  commissionPerUnit: number;
  commissionPerNotional: number;
  /** In price units. */
  spread: number;
  slippage: number;
}
