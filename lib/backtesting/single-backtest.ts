import { resolveParameterValues, type ParameterValues, type StrategySpec } from '../domain/strategy/index.js';
import type { Cache } from '../ports/cache.js';
import type { BarDatasetRecord, Store } from '../ports/store.js';
import { AppError, toAppError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import type { BarMemory } from './bar-memory.js';
import { engineBacktestId, resultCacheKey, specIdentity, type RunIdentity } from './cache-key.js';
import { candidateOutput, type CandidateOutput, type SuccessfulOutput } from './candidate-output.js';
import type { BatchExecutor } from './executor.js';
import type { SingleBacktestInput } from './input.js';
import type { CandidateRun } from './run-chunk.js';
import { storeEngineBacktest } from './store-backtest.js';
import { resolveStrategy } from './strategy-source.js';

/** Results larger than this (trades or curves of long runs) are returned but not cached. */
export const MAX_CACHED_RESULT_CHARS = 256 * 1024;

export interface SingleBacktestDeps {
  store: Store;
  cache: Cache;
  bars: BarMemory;
  executor: BatchExecutor;
  /** 0 turns result caching off. */
  cacheTtlSeconds: number;
  /** Cancels chunks still queued when the platform shuts down. */
  signal?: AbortSignal;
  /** Where cache failures are told (they cost a recomputation, not the answer). */
  log?: Logger;
  /** Milliseconds, for `run.elapsedMs` (performance.now in the function). */
  clock?: () => number;
}

export interface SingleBacktestResponse {
  datasetId: string;
  /** Content hash of the bars: the data part of every cache key and engine backtest id. */
  dataSha256: string;
  strategy: string;
  symbol: string;
  bars: { count: number; first: string | null; last: string | null };
  /** One per parameter set, in request order. */
  candidates: CandidateOutput[];
  cache: {
    kind: Cache['kind'];
    enabled: boolean;
    ttlSeconds: number;
    /** Positions of the candidates answered from the cache. */
    hits: number[];
    /** Cache reads or writes that failed (the run went on without them). */
    errors: number;
  };
  run: {
    /** Candidates the engine ran in this call (identical parameter sets run once). */
    computed: number;
    threads: number;
    /** Whether this call read the bars from the store (false: they were already in memory, or not needed). */
    barsLoaded: boolean;
    elapsedMs: number;
  };
}

/** A candidate whose parameters resolved: what identifies its run, and where its answer goes. */
interface Plan {
  index: number;
  resolved: ParameterValues;
  identity: RunIdentity;
  cacheKey: string;
  backtestId: string | undefined;
}

/**
 * The single-backtest function's logic: resolve the strategy and the dataset, answer what the cache
 * holds, run the rest on the executor (identical parameter sets once), cache new results, optionally
 * store each run as an engine backtest. A bad parameter set is an `ok: false` candidate; a bad spec,
 * an unknown dataset or bad bars throw AppErrors (400, 404, 422) naming the field, bar or path.
 */
export async function runSingleBacktest(input: SingleBacktestInput, deps: SingleBacktestDeps): Promise<SingleBacktestResponse> {
  const clock = deps.clock ?? (() => 0);
  const started = clock();
  const spec = resolveStrategy(input);
  const dataset = await deps.store.getBarDataset(input.datasetId);
  if (!dataset) {
    throw new AppError('not_found', `no bar dataset "${input.datasetId}"; ingest an OHLC bar file first (trading-ai ingest bars.csv)`, {
      field: 'datasetId',
      found: input.datasetId,
    });
  }
  const o = input.options;
  const include = { trades: o.include.trades, curve: o.include.curve };
  const run = { symbol: o.symbol ?? dataset.symbol ?? 'UNKNOWN', startingBalance: o.startingBalance, closeAtEnd: o.closeAtEnd };
  const specJson = specIdentity(spec);
  const caching = o.cache && deps.cacheTtlSeconds > 0;
  const cacheErrors: CacheErrors = { count: 0, log: deps.log };

  const outputs: (CandidateOutput | undefined)[] = new Array(input.params.length);
  const plans: Plan[] = [];
  input.params.forEach((given, index) => {
    let resolved: ParameterValues;
    try {
      resolved = resolveParameterValues(spec.parameters, given);
    } catch (err) {
      outputs[index] = failed(index, given, err);
      return;
    }
    const identity: RunIdentity = { dataKey: dataset.sha256, specJson, params: resolved, run };
    plans.push({ index, resolved, identity, cacheKey: resultCacheKey(identity, include), backtestId: o.store ? engineBacktestId(identity) : undefined });
  });

  // With store, a cached answer is enough only when its backtest is stored too.
  const storedIds = o.store && caching ? await existingBacktests(deps.store, plans) : new Set<string>();
  const hits: number[] = [];
  if (caching) {
    const cached = await Promise.all(plans.map((p) => (o.store && !storedIds.has(p.backtestId!) ? undefined : readCached(deps.cache, p.cacheKey, cacheErrors))));
    plans.forEach((p, i) => {
      const value = cached[i];
      if (!value) return;
      outputs[p.index] = { ...value, index: p.index, cached: true, ...(p.backtestId ? { backtestId: p.backtestId, stored: 'existing' as const } : {}) };
      hits.push(p.index);
    });
  }

  // Identical runs in one batch are computed once.
  const pending = new Map<string, Plan[]>();
  for (const p of plans) {
    if (outputs[p.index]) continue;
    const same = pending.get(p.cacheKey);
    if (same) same.push(p);
    else pending.set(p.cacheKey, [p]);
  }
  let barsLoaded = false;
  if (pending.size > 0) {
    // Threads start (and load their code) while the bars are read.
    deps.executor.prepare();
    const { held, loaded } = await deps.bars.get(dataset.sha256, () => deps.store.readBars(dataset.id), dataset.name);
    barsLoaded = loaded;
    const firsts = [...pending.values()].map((group) => group[0]!);
    const runs = await deps.executor.run(
      held,
      {
        spec,
        candidates: firsts.map((p) => ({ index: p.index, params: p.resolved })),
        symbol: run.symbol,
        startingBalance: run.startingBalance,
        closeAtEnd: run.closeAtEnd,
        keep: { trades: include.trades || o.store, curve: include.curve },
      },
      deps.signal,
    );
    await Promise.all(
      runs.map(async (r, k) => {
        const group = pending.get(firsts[k]!.cacheKey)!;
        const output = candidateOutput(r, include);
        if (output.ok) {
          if (caching) await writeCached(deps.cache, group[0]!.cacheKey, output, deps.cacheTtlSeconds, cacheErrors);
          if (o.store) {
            const id = group[0]!.backtestId!;
            output.backtestId = id;
            output.stored = await storeRun(deps.store, id, dataset, spec, r, run, output);
          }
        }
        for (const p of group) {
          outputs[p.index] = { ...output, index: p.index, ...(output.ok ? {} : { params: input.params[p.index]! }) } as CandidateOutput;
        }
      }),
    );
  }

  return {
    datasetId: dataset.id,
    dataSha256: dataset.sha256,
    strategy: spec.name,
    symbol: run.symbol,
    bars: { count: dataset.barCount, first: isoOrNull(dataset.firstTime), last: isoOrNull(dataset.lastTime) },
    candidates: outputs as CandidateOutput[],
    cache: { kind: deps.cache.kind, enabled: caching, ttlSeconds: caching ? deps.cacheTtlSeconds : 0, hits: hits.sort((a, b) => a - b), errors: cacheErrors.count },
    run: { computed: pending.size, threads: deps.executor.threads, barsLoaded, elapsedMs: Math.round(clock() - started) },
  };
}

function failed(index: number, params: Record<string, unknown>, err: unknown): CandidateOutput {
  const e = toAppError(err);
  if (e.code === 'internal') throw err;
  return { index, ok: false, params, error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
}

async function existingBacktests(store: Store, plans: Plan[]): Promise<Set<string>> {
  const ids = [...new Set(plans.map((p) => p.backtestId!))];
  // One query for the whole batch, not a full backtest record read per candidate.
  const rows = await store.query<{ id: string }>('select id from backtests where id = any($1::text[])', [ids]);
  return new Set(rows.map((r) => r.id));
}

type CachedValue = Omit<SuccessfulOutput, 'index' | 'cached' | 'backtestId' | 'stored'>;

interface CacheErrors {
  count: number;
  log?: Logger | undefined;
}

function cacheFailed(errors: CacheErrors, err: unknown, key: string, what: string): void {
  errors.count++;
  errors.log?.warn({ err: (err as Error).message, key }, `result cache ${what} failed`);
}

async function readCached(cache: Cache, key: string, errors: CacheErrors): Promise<CachedValue | undefined> {
  try {
    const text = await cache.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as CachedValue);
  } catch (err) {
    // A cache that is down or holds garbage costs a recomputation, never the answer.
    cacheFailed(errors, err, key, 'read');
    return undefined;
  }
}

async function writeCached(cache: Cache, key: string, output: SuccessfulOutput, ttlSeconds: number, errors: CacheErrors): Promise<void> {
  // Each curve number and each trade row takes at least 2 and 100 characters of JSON: an output that
  // cannot fit is not serialised only to be thrown away.
  if ((output.curve?.time.length ?? 0) * 3 * 2 + (output.trades?.length ?? 0) * 100 > MAX_CACHED_RESULT_CHARS) return;
  const { index: _index, cached: _cached, backtestId: _id, stored: _stored, ...value } = output;
  const text = JSON.stringify(value);
  if (text.length > MAX_CACHED_RESULT_CHARS) return;
  try {
    await cache.set(key, text, ttlSeconds);
  } catch (err) {
    cacheFailed(errors, err, key, 'write');
  }
}

async function storeRun(
  store: Store,
  id: string,
  dataset: BarDatasetRecord,
  spec: StrategySpec,
  r: CandidateRun,
  run: RunIdentity['run'],
  output: SuccessfulOutput,
): Promise<'created' | 'existing'> {
  if (!r.ok || !r.trades) throw new Error('a stored run needs its trades');
  return storeEngineBacktest(store, {
    id,
    dataset,
    spec,
    params: r.parameters,
    run,
    trades: r.trades,
    metrics: output.metrics,
    account: output.account,
    openPositions: output.openPositions,
  });
}

function isoOrNull(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}
