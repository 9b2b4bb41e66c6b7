import { strategyLibrary, type ParameterDefinition } from '../domain/strategy/index.js';

export interface LibraryParameter {
  name: string;
  type: ParameterDefinition['type'];
  default: number | boolean | string;
  min?: number;
  max?: number;
  step?: number;
  values?: string[];
  optimize: boolean;
  label?: string;
}

export interface LibraryStrategy {
  name: string;
  description: string | null;
  parameters: LibraryParameter[];
}

/** The library strategies with their parameter spaces, for `trading-ai backtest --list-strategies`. */
export function describeLibrary(): LibraryStrategy[] {
  return strategyLibrary().map((spec) => ({
    name: spec.name,
    description: spec.description ?? null,
    parameters: Object.entries(spec.parameters).map(([name, d]): LibraryParameter => {
      const p: LibraryParameter = { name, type: d.type, default: d.default, optimize: d.optimize ?? false };
      if (d.label !== undefined) p.label = d.label;
      if (d.type === 'int' || d.type === 'float') {
        if (d.min !== undefined) p.min = d.min;
        if (d.max !== undefined) p.max = d.max;
        if (d.step !== undefined) p.step = d.step;
      }
      if (d.type === 'enum') p.values = [...d.values];
      return p;
    }),
  }));
}
