/**
 * The strategy spec language: zod schemas (the types), parsing with JSON-path errors, parameter
 * values, conversions to and from cTrader's optimisation params and .cbotset, and the spec library.
 * docs/backtest.md describes the language.
 */
export { fromCbotset, parameterSetToValues, toCbotset, CbotsetJson, type Chart } from './cbotset.js';
export {
  COMPARISON_OPERATORS,
  CROSS_RULES,
  Condition,
  Operand,
  ShiftedSeries,
  SideRules,
  type ComparisonOperator,
  type CrossRule,
  type SeriesName,
} from './conditions-schema.js';
export { LIBRARY_SPEC_NAMES, loadLibrarySpec, strategyLibrary } from './library/index.js';
export {
  applyOptimisationParams,
  CtraderOptimisationJson,
  fromCtraderOptimisationJson,
  toCtraderOptimisationJson,
  toOptimisationParams,
} from './optimisation-params.js';
export { parseStrategySpec } from './parse-spec.js';
export { parameterFromText, parameterToText } from './parameter-text.js';
export { checkParameterValue, resolveParameterValues } from './parameter-values.js';
export {
  isParamRef,
  NumberOrParam,
  ParamRef,
  ParameterDefinition,
  ParameterSpace,
  PARAMETER_NAME,
  type NumericParameter,
  type ParameterValue,
  type ParameterValues,
} from './parameters-schema.js';
export { minuteOfDay, SESSION_NAMES, SESSIONS, WEEKDAYS, type SessionName, type Weekday } from './sessions.js';
export { formatJsonPath, specError, type JsonPath } from './spec-error.js';
export {
  Commission,
  Costs,
  Distance,
  FILL_TIMINGS,
  Fills,
  IndicatorSpec,
  Instrument,
  Positions,
  Risk,
  Sizing,
  StrategySpec,
  TrailingStop,
  type StrategySpecInput,
} from './spec-schema.js';
