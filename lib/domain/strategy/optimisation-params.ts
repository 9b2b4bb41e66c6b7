import { z } from 'zod';
import { AppError } from '../../runtime/errors.js';
import type { OptimisationParameter, OptimisationParams } from '../../formats/types.js';
import { parameterFromText, parameterToText } from './parameter-text.js';
import type { ParameterDefinition, ParameterSpace } from './parameters-schema.js';
import { checkParameterDefinitions } from './parameter-rules.js';

/**
 * The spec's parameters as an optimisation space, converted to and from cTrader's CLI optimisation
 * params (`ctrader-cli optimize --params`). An optimised int/float becomes a Min/Max/Step range, an
 * optimised enum or bool a list of Values, anything else a fixed Value (its default).
 */
export function toOptimisationParams(space: ParameterSpace): OptimisationParams {
  return {
    parameters: Object.entries(space).map(([name, definition]): OptimisationParameter => {
      if (definition.optimize !== true) return { name, optimize: false, value: definition.default };
      switch (definition.type) {
        case 'int':
        case 'float':
          return { name, optimize: true, min: definition.min!, max: definition.max!, step: definition.step! };
        case 'enum':
          return { name, optimize: true, values: [...definition.values] };
        case 'bool':
          return { name, optimize: true, values: [true, false] };
      }
    }),
  };
}

/**
 * The spec's parameter space with an optimisation setup applied: ranges, value lists and fixed values
 * replace the spec's own; parameters the setup does not mention keep their definitions. A default
 * pushed outside a new range is clamped into it. An enum list must be a subset of the enum's values (it
 * becomes the values); a list for a numeric parameter is refused because the space holds ranges only.
 * Throws AppError naming the parameter for unknown names and unreadable values.
 */
export function applyOptimisationParams(space: ParameterSpace, params: OptimisationParams): ParameterSpace {
  const next: ParameterSpace = { ...space };
  for (const parameter of params.parameters) {
    const base = space[parameter.name];
    if (!base) {
      const names = Object.keys(space).join(', ');
      throw new AppError('invalid_input', `unknown parameter "${parameter.name}" in optimisation params; the strategy defines ${names}`, {
        field: parameter.name,
        expected: names,
        found: parameter.name,
      });
    }
    next[parameter.name] = applyOne(parameter, base);
  }
  checkParameterDefinitions(next);
  return next;
}

function applyOne(parameter: OptimisationParameter, base: ParameterDefinition): ParameterDefinition {
  const { name } = parameter;
  const read = (raw: string | number | boolean) => parameterFromText(name, base, raw);
  const withFlag = <T extends ParameterDefinition>(definition: T, optimize: boolean): T =>
    base.optimize !== undefined || optimize ? { ...definition, optimize } : definition;

  if (!parameter.optimize) {
    if (parameter.value === undefined) return withFlag(base, false);
    return withFlag({ ...base, default: read(parameter.value) } as ParameterDefinition, false);
  }
  if (base.type === 'int' || base.type === 'float') {
    if (parameter.values !== undefined || parameter.min === undefined || parameter.max === undefined || parameter.step === undefined) {
      const message = `parameter ${name}: an optimised ${base.type} needs Min, Max and Step (lists of values are not supported for numbers)`;
      throw new AppError('invalid_input', message, {
        field: name,
        expected: 'Min, Max, Step',
      });
    }
    const min = read(parameter.min) as number;
    const max = read(parameter.max) as number;
    const step = read(parameter.step) as number;
    const clamped = Math.min(Math.max(base.default, min), max);
    return withFlag({ ...base, min, max, step, default: clamped }, true);
  }
  if (base.type === 'bool') return withFlag(base, true);
  const values = (parameter.values ?? base.values).map((v) => read(v) as string);
  const defaultValue = values.includes(base.default) ? base.default : values[0]!;
  return withFlag({ ...base, values, default: defaultValue }, true);
}

/** cTrader's optimisation params file as written: every number and value is a string. */
export const CtraderOptimisationJson = z.looseObject({
  parameters: z.array(
    z.looseObject({
      Name: z.string().min(1),
      Optimize: z.boolean(),
      Min: z.union([z.string(), z.number()]).optional(),
      Max: z.union([z.string(), z.number()]).optional(),
      Step: z.union([z.string(), z.number()]).optional(),
      Values: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
      Value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    }),
  ),
});
export type CtraderOptimisationJson = z.infer<typeof CtraderOptimisationJson>;
type CtraderOptimisationParameter = CtraderOptimisationJson['parameters'][number];

/** `{"parameters":[{"Name","Optimize":true,"Min","Max","Step"} | {"Name","Optimize":true,"Values"} | {"Name","Optimize":false,"Value"}]}` */
export function toCtraderOptimisationJson(space: ParameterSpace): CtraderOptimisationJson {
  return {
    parameters: toOptimisationParams(space).parameters.map((p): CtraderOptimisationParameter => {
      if (!p.optimize) return { Name: p.name, Optimize: false, Value: parameterToText(p.value!) };
      if (p.values) return { Name: p.name, Optimize: true, Values: p.values.map(parameterToText) };
      return { Name: p.name, Optimize: true, Min: String(p.min), Max: String(p.max), Step: String(p.step) };
    }),
  };
}

/** Applies a cTrader optimisation params document (parsed JSON) to the spec's parameter space. */
export function fromCtraderOptimisationJson(space: ParameterSpace, json: unknown): ParameterSpace {
  const parsed = CtraderOptimisationJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
    throw new AppError('invalid_input', `optimisation params ${field}: ${issue.message}`, { field, expected: 'cTrader optimisation params' });
  }
  const parameters = parsed.data.parameters.map((p): OptimisationParameter => {
    const parameter: OptimisationParameter = { name: p.Name, optimize: p.Optimize };
    const definition = space[p.Name];
    const number = (raw: string | number | undefined) =>
      raw === undefined || !definition ? undefined : (parameterFromText(p.Name, definition, raw) as number);
    if (p.Value !== undefined) parameter.value = p.Value;
    if (p.Values !== undefined) parameter.values = p.Values;
    if (definition && (definition.type === 'int' || definition.type === 'float')) {
      const [min, max, step] = [number(p.Min), number(p.Max), number(p.Step)];
      if (min !== undefined) parameter.min = min;
      if (max !== undefined) parameter.max = max;
      if (step !== undefined) parameter.step = step;
    }
    return parameter;
  });
  return applyOptimisationParams(space, { parameters });
}
