import { INDICATORS, PRICE_SOURCES, resolveIndicatorParams, type IndicatorName, type PriceSourceName } from '../indicators/index.js';
import type { Condition, Operand } from '../strategy/conditions-schema.js';
import { isParamRef, type NumberOrParam, type ParamRef, type ParameterValues } from '../strategy/parameters-schema.js';
import { resolveParameterValues } from '../strategy/parameter-values.js';
import { minuteOfDay, SESSIONS, WEEKDAYS } from '../strategy/sessions.js';
import { specError, type JsonPath } from '../strategy/spec-error.js';
import type { Commission, Distance, StrategySpec } from '../strategy/spec-schema.js';
import type {
  CompiledCondition,
  CompiledCosts,
  CompiledDistance,
  CompiledIndicator,
  CompiledOperand,
  CompiledSide,
  CompiledSizing,
  CompiledStrategy,
  SeriesSource,
} from './compiled-strategy.js';
import { commissionCoefficients } from './costs.js';

/**
 * Resolves a parsed spec (from `parseStrategySpec`) with one set of parameter values into the plan the
 * engine runs: parameter references replaced by values, pips turned into price distances, indicator
 * parameters completed and checked. Parameter values are checked against their definitions (an
 * AppError naming the parameter); a value that is valid for its parameter but not where it is used
 * (a period of 0, a negative stop) is an AppError naming the JSON path where it is used.
 */
export function compileStrategy(spec: StrategySpec, params: Readonly<Record<string, unknown>> = {}): CompiledStrategy {
  return new Compiler(spec, resolveParameterValues(spec.parameters, params)).compile();
}

class Compiler {
  private readonly indicatorIndex = new Map<string, number>();
  private readonly indicators: CompiledIndicator[] = [];

  constructor(
    private readonly spec: StrategySpec,
    private readonly values: ParameterValues,
  ) {}

  compile(): CompiledStrategy {
    const { spec } = this;
    spec.indicators.forEach((indicator, index) => {
      this.indicators.push(this.indicator(index));
      this.indicatorIndex.set(indicator.id, index);
    });
    const long = spec.rules.long ? this.side('long') : null;
    const short = spec.rules.short ? this.side('short') : null;
    const { risk, instrument } = spec;
    const stopLoss = risk.stopLoss ? this.distance(risk.stopLoss, ['risk', 'stopLoss']) : null;
    const takeProfit = risk.takeProfit ? this.distance(risk.takeProfit, ['risk', 'takeProfit']) : null;
    const trailingStop = risk.trailingStop ? this.distance(risk.trailingStop, ['risk', 'trailingStop']) : null;
    const maxPositions = spec.positions.mode === 'hedging' ? this.integer(spec.positions.max, ['positions', 'max'], 1) : 1;
    const slowestIndicator = this.indicators.reduce<CompiledIndicator | null>(
      (slowest, i) => (!slowest || i.warmup > slowest.warmup ? i : slowest),
      null,
    );
    return {
      name: spec.name,
      parameters: this.values,
      indicators: this.indicators,
      long,
      short,
      stopLoss,
      takeProfit,
      trailingStop,
      sizing: this.sizing(),
      positionMode: spec.positions.mode,
      maxPositions,
      instrument: {
        pipSize: instrument.pipSize,
        lotSize: instrument.lotSize,
        contractMultiplier: instrument.contractMultiplier,
        marginPerUnit: instrument.marginPerContract ?? 0,
        digits: instrument.digits ?? null,
        volumeStep: instrument.volumeStep,
      },
      costs: this.costs(),
      fillAt: spec.fills.market,
      slowestIndicator,
      requiredBars: (slowestIndicator?.warmup ?? 0) + 2,
    };
  }

  private indicator(index: number): CompiledIndicator {
    const indicator = this.spec.indicators[index]!;
    const path = ['indicators', index];
    const type = (isParamRef(indicator.type) ? this.value(indicator.type) : indicator.type) as IndicatorName;
    const definition = INDICATORS[type];
    const declaredSource = indicator.source ?? 'close';
    const source = (isParamRef(declaredSource) ? this.value(declaredSource) : declaredSource) as PriceSourceName;
    const given: Record<string, number> = {};
    for (const [name, raw] of Object.entries(indicator.params ?? {})) {
      const parameter = definition.parameters.find((p) => p.name === name)!;
      const value = this.number(raw, [...path, 'params', name]);
      const whole = parameter.type === 'number' || Number.isInteger(value);
      if (!whole || value < parameter.min) {
        const expected = `${parameter.type === 'integer' ? 'an integer' : 'a number'} >= ${parameter.min}`;
        throw specError([...path, 'params', name], `${type}.${name} must be ${expected}, got ${value}`, expected, value);
      }
      given[name] = value;
    }
    const params = resolveIndicatorParams(definition, given);
    const paramKey = Object.keys(params)
      .sort()
      .map((name) => `${name}=${params[name]}`)
      .join(',');
    const sourceKey = definition.input === 'series' ? source : 'bars';
    return { id: indicator.id, type, params, source, warmup: definition.warmup(params), cacheKey: `${type}(${sourceKey};${paramKey})` };
  }

  private side(side: 'long' | 'short'): CompiledSide {
    const rules = this.spec.rules[side]!;
    const path = ['rules', side];
    return {
      entry: this.condition(rules.entry, [...path, 'entry']),
      exit: rules.exit ? this.condition(rules.exit, [...path, 'exit']) : null,
    };
  }

  private condition(condition: Condition, path: JsonPath): CompiledCondition {
    switch (condition.op) {
      case 'crossAbove':
      case 'crossBelow':
        return {
          kind: 'cross',
          direction: condition.op === 'crossAbove' ? 'above' : 'below',
          rule: condition.rule ?? 'lastNonZero',
          left: this.operand(condition.left, [...path, 'left']),
          right: this.operand(condition.right, [...path, 'right']),
        };
      case 'and':
        return { kind: 'all', conditions: condition.all.map((c, i) => this.condition(c, [...path, 'all', i])) };
      case 'or':
        return { kind: 'any', conditions: condition.any.map((c, i) => this.condition(c, [...path, 'any', i])) };
      case 'not':
        return { kind: 'not', condition: this.condition(condition.condition, [...path, 'condition']) };
      case 'flag':
        return { kind: 'constant', value: this.value({ param: condition.param }) === true };
      case 'weekday':
        return { kind: 'weekday', mask: condition.days.reduce((mask, day) => mask | (1 << WEEKDAYS.indexOf(day)), 0) };
      case 'hours':
        return { kind: 'minutes', windows: [window(condition.from, condition.to)] };
      case 'session':
        return { kind: 'minutes', windows: condition.sessions.map((name) => window(SESSIONS[name].from, SESSIONS[name].to)) };
      default:
        return {
          kind: 'compare',
          operator: condition.op,
          left: this.operand(condition.left, [...path, 'left']),
          right: this.operand(condition.right, [...path, 'right']),
        };
    }
  }

  private operand(operand: Operand, path: JsonPath): CompiledOperand {
    if (typeof operand === 'number' || isParamRef(operand)) return { kind: 'constant', value: this.number(operand, path) };
    if (typeof operand === 'string') return { kind: 'series', source: this.series(operand, path), barsAgo: 0 };
    return {
      kind: 'series',
      source: this.series(operand.series, [...path, 'series']),
      barsAgo: this.integer(operand.barsAgo, [...path, 'barsAgo'], 0),
    };
  }

  private series(name: string, path: JsonPath): SeriesSource {
    const [id, output] = name.split('.');
    const index = this.indicatorIndex.get(id!);
    if (index === undefined) {
      if (output === undefined && isPriceSource(name)) return { kind: 'price', field: name };
      throw specError(path, `"${name}" is neither a price source nor a declared indicator`, undefined, name);
    }
    const outputs = INDICATORS[this.indicators[index]!.type].outputs;
    return { kind: 'indicator', index, output: output ?? outputs[0]! };
  }

  private distance(distance: Distance, path: JsonPath): CompiledDistance {
    if (distance.type === 'atr') {
      const multiple = this.positive(distance.multiple, [...path, 'multiple']);
      return { kind: 'atr', indicator: this.indicatorIndex.get(distance.indicator)!, multiple };
    }
    if (distance.type === 'pips') return { kind: 'price', distance: this.positive(distance.pips, [...path, 'pips']) * this.spec.instrument.pipSize };
    return { kind: 'price', distance: this.positive(distance.distance, [...path, 'distance']) };
  }

  private sizing(): CompiledSizing {
    const { sizing } = this.spec.risk;
    const path = ['risk', 'sizing'];
    switch (sizing.type) {
      case 'fixedLots':
        return { kind: 'fixedUnits', units: this.positive(sizing.lots, [...path, 'lots']) * this.spec.instrument.lotSize };
      case 'fixedUnits':
        return { kind: 'fixedUnits', units: this.positive(sizing.units, [...path, 'units']) };
      case 'riskPercent': {
        const percent = this.positive(sizing.percent, [...path, 'percent']);
        if (percent > 100) {
          throw specError([...path, 'percent'], `cannot risk more than 100 % of equity, got ${percent}`, '0 < percent <= 100', percent);
        }
        return { kind: 'riskPercent', fraction: percent / 100 };
      }
      case 'allEquity':
        return { kind: 'allEquity' };
    }
  }

  private costs(): CompiledCosts {
    const { commission, spreadPips, slippagePips } = this.spec.costs;
    const pip = this.spec.instrument.pipSize;
    const rate = commission ? this.nonNegative(commission.value, ['costs', 'commission', 'value']) : 0;
    const coefficients = commission
      ? commissionCoefficients(commission.type as Commission['type'], rate, this.spec.instrument.lotSize)
      : { perUnit: 0, perNotional: 0 };
    return {
      commissionPerUnit: coefficients.perUnit,
      commissionPerNotional: coefficients.perNotional,
      spread: spreadPips === undefined ? 0 : this.nonNegative(spreadPips, ['costs', 'spreadPips']) * pip,
      slippage: slippagePips === undefined ? 0 : this.nonNegative(slippagePips, ['costs', 'slippagePips']) * pip,
    };
  }

  private value(ref: ParamRef): number | boolean | string {
    return this.values[ref.param]!;
  }

  private number(value: NumberOrParam, path: JsonPath): number {
    const resolved = isParamRef(value) ? this.value(value) : value;
    if (typeof resolved !== 'number' || !Number.isFinite(resolved)) throw specError(path, 'expected a number', 'a finite number', resolved);
    return resolved;
  }

  private positive(value: NumberOrParam, path: JsonPath): number {
    const resolved = this.number(value, path);
    if (!(resolved > 0)) throw specError(path, `must be greater than 0, got ${resolved}${where(value)}`, '> 0', resolved);
    return resolved;
  }

  private nonNegative(value: NumberOrParam, path: JsonPath): number {
    const resolved = this.number(value, path);
    if (resolved < 0) throw specError(path, `must not be negative, got ${resolved}${where(value)}`, '>= 0', resolved);
    return resolved;
  }

  private integer(value: NumberOrParam, path: JsonPath, min: number): number {
    const resolved = this.number(value, path);
    if (!Number.isInteger(resolved) || resolved < min) {
      throw specError(path, `must be an integer >= ${min}, got ${resolved}${where(value)}`, `an integer >= ${min}`, resolved);
    }
    return resolved;
  }
}

function where(value: NumberOrParam): string {
  return isParamRef(value) ? ` (from parameter ${value.param})` : '';
}

const PRICE_SOURCE_NAMES: readonly string[] = PRICE_SOURCES;
function isPriceSource(name: string): name is PriceSourceName {
  return PRICE_SOURCE_NAMES.includes(name);
}

function window(from: string, to: string): { from: number; to: number } {
  return { from: minuteOfDay(from), to: minuteOfDay(to) };
}
