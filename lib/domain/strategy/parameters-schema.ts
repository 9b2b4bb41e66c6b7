import { z } from 'zod';

/**
 * A strategy's parameters: what a trader can set in cTrader and what the optimiser searches. Names
 * become C# property names in generated cBots and keys in .cbotset files, hence the identifier rule.
 */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const common = {
  /** What cTrader shows next to the input; the name when absent. */
  label: z.string().min(1).optional(),
  group: z.string().min(1).optional(),
  /**
   * Whether the optimiser varies this parameter. Numeric parameters that are optimised need min, max
   * and step; enums are searched over their values and bools over both.
   */
  optimize: z.boolean().optional(),
};

// zod 4 numbers already refuse NaN and the infinities.
const finite = z.number();

export const IntParameter = z.strictObject({
  type: z.literal('int'),
  default: z.number().int(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  step: z.number().int().positive().optional(),
  ...common,
});

export const FloatParameter = z.strictObject({
  type: z.literal('float'),
  default: finite,
  min: finite.optional(),
  max: finite.optional(),
  step: finite.positive().optional(),
  ...common,
});

export const BoolParameter = z.strictObject({
  type: z.literal('bool'),
  default: z.boolean(),
  ...common,
});

export const EnumParameter = z.strictObject({
  type: z.literal('enum'),
  default: z.string(),
  values: z.array(z.string().min(1)).min(1),
  ...common,
});

export const ParameterDefinition = z.discriminatedUnion('type', [IntParameter, FloatParameter, BoolParameter, EnumParameter]);
export type ParameterDefinition = z.infer<typeof ParameterDefinition>;
export type NumericParameter = z.infer<typeof IntParameter> | z.infer<typeof FloatParameter>;

export const ParameterSpace = z.record(
  z.string().regex(PARAMETER_NAME, 'parameter names must be identifiers (letters, digits, _), usable as C# properties'),
  ParameterDefinition,
);
/** Parameter definitions by name, in declaration order (the order cTrader shows them). */
export type ParameterSpace = z.infer<typeof ParameterSpace>;

/** A value for one parameter in a run: numbers for int/float, booleans, enum value strings. */
export type ParameterValue = number | boolean | string;
export type ParameterValues = Record<string, ParameterValue>;

/** Anywhere the spec expects a number it may name a parameter instead: `{ "param": "fastPeriod" }`. */
export const ParamRef = z.strictObject({ param: z.string().min(1) });
export type ParamRef = z.infer<typeof ParamRef>;

export const NumberOrParam = z.union([finite, ParamRef], {
  error: 'expected a number or a parameter reference {"param": name}',
});
export type NumberOrParam = z.infer<typeof NumberOrParam>;

export function isParamRef(value: unknown): value is ParamRef {
  return typeof value === 'object' && value !== null && 'param' in value;
}
