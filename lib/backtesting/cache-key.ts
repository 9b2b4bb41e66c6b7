import { idOf } from '../domain/ingest/plan.js';
import type { ParameterValues, StrategySpec } from '../domain/strategy/index.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

/**
 * Part of every cache key and engine backtest id. Bump it whenever the engine or the result shape
 * changes what an identical request returns, so old cached results are never served for new code.
 */
export const ENGINE_RESULTS_VERSION = 'engine-1';

/** Everything that decides a run's outcome: the data, the strategy, its parameter values, the account. */
export interface RunIdentity {
  /** The bar dataset's content hash. */
  dataKey: string;
  /** canonicalJson of the parsed spec (defaults applied), computed once per request. */
  specJson: string;
  /** Resolved parameter values (defaults filled in), so `{}` and the defaults written out are one run. */
  params: ParameterValues;
  run: { symbol: string; startingBalance: number; closeAtEnd: boolean };
}

export function specIdentity(spec: StrategySpec): string {
  return canonicalJson(spec);
}

function runHash(identity: RunIdentity): string {
  return sha256Hex(
    [ENGINE_RESULTS_VERSION, identity.dataKey, identity.specJson, canonicalJson(identity.params), canonicalJson(identity.run)].join('\n'),
  );
}

/**
 * The result cache key: sha256 of the canonical run identity plus what the result includes (trades and
 * curve make a different, larger value). Keys are namespaced `backtest:result:`.
 */
export function resultCacheKey(identity: RunIdentity, include: { trades: boolean; curve: boolean }): string {
  return `backtest:result:${sha256Hex(`${runHash(identity)}\n${canonicalJson(include)}`)}`;
}

/** A stored engine backtest's id: the same run always gets the same id, so storing it again writes nothing. */
export function engineBacktestId(identity: RunIdentity): string {
  return idOf('bt', 'engine', runHash(identity));
}
