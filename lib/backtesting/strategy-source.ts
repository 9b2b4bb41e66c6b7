import { loadLibrarySpec, parseStrategySpec, type StrategySpec } from '../domain/strategy/index.js';
import { AppError, toAppError } from '../runtime/errors.js';

/**
 * The spec a request names: a library strategy by name, or an inline document. A bad document is an
 * AppError('invalid_input') whose `details.field` is the JSON path inside the spec
 * (`indicators[1].params.period`); an unknown library name is a 404 on the field `strategy`, listing
 * the names that exist.
 */
export function resolveStrategy(source: { spec?: unknown; strategy?: string }): StrategySpec {
  if (source.strategy === undefined) return parseStrategySpec(source.spec);
  try {
    return loadLibrarySpec(source.strategy);
  } catch (err) {
    const e = toAppError(err);
    if (e.code !== 'not_found') throw e;
    throw new AppError(e.code, e.message, { ...e.details, field: 'strategy' });
  }
}
