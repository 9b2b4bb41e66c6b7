import { INDICATORS, isIndicatorName, PRICE_SOURCES, type IndicatorDefinition } from '../indicators/index.js';
import type { Condition, Operand, SideRules } from './conditions-schema.js';
import { isParamRef, type NumberOrParam, type ParamRef } from './parameters-schema.js';
import { minuteOfDay } from './sessions.js';
import { specError, type JsonPath } from './spec-error.js';
import type { IndicatorSpec, StrategySpec } from './spec-schema.js';

/** What a parameter reference stands for where it is used. */
type Slot = 'number' | 'integer' | 'bool' | 'indicatorType' | 'priceSource';

const PRICE_SOURCE_NAMES: readonly string[] = PRICE_SOURCES;
const INDICATOR_NAMES = Object.keys(INDICATORS);

/**
 * Checks every reference between the parts of a parsed spec: parameter references exist and have a
 * type that fits where they are used, indicator types and their parameters exist in the registry,
 * series names resolve to a price source or an indicator output, ATR distances name an ATR indicator,
 * percent-risk sizing has a stop. Throws an AppError naming the JSON path of the first problem.
 */
export function checkSpecReferences(spec: StrategySpec): void {
  new ReferenceChecker(spec).checkAll();
}

class ReferenceChecker {
  private readonly indicatorsById = new Map<string, { index: number; definitions: IndicatorDefinition[]; spec: IndicatorSpec }>();

  constructor(private readonly spec: StrategySpec) {}

  checkAll(): void {
    this.spec.indicators.forEach((indicator, index) => this.checkIndicator(indicator, index));
    const { long, short } = this.spec.rules;
    if (long) this.checkSide(long, ['rules', 'long']);
    if (short) this.checkSide(short, ['rules', 'short']);
    this.checkRisk();
    this.checkCosts();
    if (this.spec.positions.mode === 'hedging') this.number(this.spec.positions.max, ['positions', 'max'], 'integer');
  }

  private checkIndicator(indicator: IndicatorSpec, index: number): void {
    const path = ['indicators', index];
    if (PRICE_SOURCE_NAMES.includes(indicator.id)) {
      const expected = `an id other than ${PRICE_SOURCES.join(', ')}`;
      throw specError([...path, 'id'], `"${indicator.id}" is a price source name; pick another id`, expected, indicator.id);
    }
    const earlier = this.indicatorsById.get(indicator.id);
    if (earlier) {
      throw specError([...path, 'id'], `id "${indicator.id}" is already used by indicators[${earlier.index}]`, 'a unique id', indicator.id);
    }
    const definitions = this.indicatorTypes(indicator.type, [...path, 'type']);
    if (indicator.source !== undefined) {
      const barsInput = definitions.find((d) => d.input === 'bars');
      if (barsInput) {
        throw specError([...path, 'source'], `${barsInput.name} reads high, low and close itself and takes no source`, 'no source', indicator.source);
      }
      if (isParamRef(indicator.source)) this.param(indicator.source, [...path, 'source'], 'priceSource');
      else if (!PRICE_SOURCE_NAMES.includes(indicator.source)) {
        throw specError([...path, 'source'], `unknown price source "${indicator.source}"`, PRICE_SOURCES.join(', '), indicator.source);
      }
    }
    for (const [name, value] of Object.entries(indicator.params ?? {})) {
      const paramPath = [...path, 'params', name];
      for (const definition of definitions) {
        const known = definition.parameters.find((p) => p.name === name);
        if (!known) {
          const names = definition.parameters.map((p) => p.name).join(', ');
          throw specError(paramPath, `${definition.name} has no parameter "${name}"`, names, name);
        }
        this.number(value, paramPath, known.type === 'integer' ? 'integer' : 'number');
      }
    }
    this.indicatorsById.set(indicator.id, { index, definitions, spec: indicator });
  }

  private indicatorTypes(type: string | ParamRef, path: JsonPath): IndicatorDefinition[] {
    if (!isParamRef(type)) {
      if (!isIndicatorName(type)) throw specError(path, `unknown indicator "${type}"`, INDICATOR_NAMES.join(', '), type);
      return [INDICATORS[type]];
    }
    const definition = this.param(type, path, 'indicatorType');
    return definition.type === 'enum' ? definition.values.map((name) => INDICATORS[name as keyof typeof INDICATORS]) : [];
  }

  private checkSide(rules: SideRules, path: JsonPath): void {
    this.condition(rules.entry, [...path, 'entry']);
    if (rules.exit) this.condition(rules.exit, [...path, 'exit']);
  }

  private condition(condition: Condition, path: JsonPath): void {
    switch (condition.op) {
      case 'and':
        condition.all.forEach((c, i) => this.condition(c, [...path, 'all', i]));
        return;
      case 'or':
        condition.any.forEach((c, i) => this.condition(c, [...path, 'any', i]));
        return;
      case 'not':
        this.condition(condition.condition, [...path, 'condition']);
        return;
      case 'flag':
        this.param({ param: condition.param }, [...path, 'param'], 'bool');
        return;
      case 'hours':
        if (minuteOfDay(condition.from) % 1440 === minuteOfDay(condition.to) % 1440) {
          const message = 'an hour window needs different start and end times (omit the filter for the whole day)';
          throw specError([...path, 'to'], message, `not ${condition.from}`, condition.to);
        }
        return;
      case 'weekday':
      case 'session':
        return;
      default:
        this.operand(condition.left, [...path, 'left']);
        this.operand(condition.right, [...path, 'right']);
    }
  }

  private operand(operand: Operand, path: JsonPath): void {
    if (typeof operand === 'number') return;
    if (typeof operand === 'string') return this.series(operand, path);
    if (isParamRef(operand)) {
      this.param(operand, path, 'number');
      return;
    }
    this.series(operand.series, [...path, 'series']);
    this.number(operand.barsAgo, [...path, 'barsAgo'], 'integer');
  }

  /** A price source, an indicator id (single output) or `id.output`. */
  private series(name: string, path: JsonPath): void {
    if (PRICE_SOURCE_NAMES.includes(name)) return;
    const [id, output, ...rest] = name.split('.');
    const indicator = this.indicatorsById.get(id!);
    const available = [...PRICE_SOURCE_NAMES, ...this.seriesNames()].join(', ');
    if (!indicator || rest.length > 0) {
      throw specError(path, `"${name}" is neither a price source nor an indicator output declared above`, available, name);
    }
    const outputs = sharedOutputs(indicator.definitions);
    if (output === undefined) {
      if (outputs.length === 1) return;
      throw specError(path, `indicator "${id}" has several outputs; name one`, outputs.map((o) => `${id}.${o}`).join(', '), name);
    }
    if (!outputs.includes(output)) {
      throw specError(path, `indicator "${id}" has no output "${output}"`, outputs.map((o) => `${id}.${o}`).join(', '), name);
    }
  }

  private seriesNames(): string[] {
    const names: string[] = [];
    for (const [id, { definitions }] of this.indicatorsById) {
      const outputs = sharedOutputs(definitions);
      if (outputs.length === 1) names.push(id);
      else names.push(...outputs.map((o) => `${id}.${o}`));
    }
    return names;
  }

  private checkRisk(): void {
    const { stopLoss, takeProfit, trailingStop, sizing } = this.spec.risk;
    const distances = [
      ['stopLoss', stopLoss],
      ['takeProfit', takeProfit],
      ['trailingStop', trailingStop],
    ] as const;
    for (const [key, distance] of distances) {
      if (!distance) continue;
      const path = ['risk', key];
      if (distance.type === 'atr') {
        this.atrIndicator(distance.indicator, [...path, 'indicator']);
        this.number(distance.multiple, [...path, 'multiple'], 'number');
      } else if (distance.type === 'pips') this.number(distance.pips, [...path, 'pips'], 'number');
      else this.number(distance.distance, [...path, 'distance'], 'number');
    }
    const path = ['risk', 'sizing'];
    if (sizing.type === 'fixedLots') this.number(sizing.lots, [...path, 'lots'], 'number');
    else if (sizing.type === 'fixedUnits') this.number(sizing.units, [...path, 'units'], 'number');
    else if (sizing.type === 'riskPercent') {
      this.number(sizing.percent, [...path, 'percent'], 'number');
      if (!stopLoss && !trailingStop) {
        throw specError(path, 'percent-of-equity risk sizing needs a stop: add risk.stopLoss or risk.trailingStop', 'a stop distance', 'no stop');
      }
    }
  }

  private atrIndicator(id: string, path: JsonPath): void {
    const indicator = this.indicatorsById.get(id);
    const atrIds = [...this.indicatorsById].filter(([, i]) => i.spec.type === 'atr').map(([atrId]) => atrId);
    if (!indicator || indicator.spec.type !== 'atr') {
      const expected = atrIds.length > 0 ? atrIds.join(', ') : 'the id of an indicator of type "atr" (none is declared)';
      throw specError(path, `"${id}" is not an atr indicator declared in indicators`, expected, id);
    }
  }

  private checkCosts(): void {
    const { commission, spreadPips, slippagePips } = this.spec.costs;
    if (commission) this.number(commission.value, ['costs', 'commission', 'value'], 'number');
    if (spreadPips !== undefined) this.number(spreadPips, ['costs', 'spreadPips'], 'number');
    if (slippagePips !== undefined) this.number(slippagePips, ['costs', 'slippagePips'], 'number');
  }

  private number(value: NumberOrParam, path: JsonPath, slot: 'number' | 'integer'): void {
    if (isParamRef(value)) this.param(value, path, slot);
  }

  private param(ref: ParamRef, path: JsonPath, slot: Slot) {
    const definition = this.spec.parameters[ref.param];
    if (!definition) {
      const names = Object.keys(this.spec.parameters);
      throw specError(path, `unknown parameter "${ref.param}"`, names.length > 0 ? names.join(', ') : 'no parameters are defined', ref.param);
    }
    const fits = fitsSlot(definition, slot);
    if (fits !== true) throw specError(path, `parameter "${ref.param}" is ${describeParameter(definition)} but ${fits}`, undefined, ref.param);
    return definition;
  }
}

function fitsSlot(definition: StrategySpec['parameters'][string], slot: Slot): true | string {
  switch (slot) {
    case 'number':
      return definition.type === 'int' || definition.type === 'float' ? true : 'a number is expected here';
    case 'integer':
      return definition.type === 'int' ? true : 'a whole number (an int parameter) is expected here';
    case 'bool':
      return definition.type === 'bool' ? true : 'a bool parameter is expected here';
    case 'indicatorType': {
      if (definition.type !== 'enum') return 'an enum parameter whose values are indicator names is expected here';
      const unknown = definition.values.filter((v) => !isIndicatorName(v));
      return unknown.length === 0 ? true : `its values ${unknown.join(', ')} are not indicators (${INDICATOR_NAMES.join(', ')})`;
    }
    case 'priceSource': {
      if (definition.type !== 'enum') return 'an enum parameter whose values are price sources is expected here';
      const unknown = definition.values.filter((v) => !PRICE_SOURCE_NAMES.includes(v));
      return unknown.length === 0 ? true : `its values ${unknown.join(', ')} are not price sources (${PRICE_SOURCES.join(', ')})`;
    }
  }
}

function describeParameter(definition: StrategySpec['parameters'][string]): string {
  return definition.type === 'enum' ? `an enum of ${definition.values.join(', ')}` : `a ${definition.type}`;
}

/** Outputs every possible type of an indicator has (several types when the type is an enum parameter). */
function sharedOutputs(definitions: readonly IndicatorDefinition[]): string[] {
  if (definitions.length === 0) return [];
  return definitions[0]!.outputs.filter((output) => definitions.every((d) => d.outputs.includes(output)));
}
