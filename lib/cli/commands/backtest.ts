import { randomUUID } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { describeLibrary, releaseBacktestRuntime, TRADE_CSV_COLUMNS, tradeCsvRecords, type SingleBacktestRequest, type SingleBacktestResponse } from '../../backtesting/index.js';
import { IngestOptions } from '../../domain/ingest/plan.js';
import { isDone } from '../../ingest/ingest-response.js';
import { LIBRARY_SPEC_NAMES, loadLibrarySpec, parameterFromText, parseStrategySpec, type StrategySpec } from '../../domain/strategy/index.js';
import type { Config } from '../../runtime/config.js';
import { toAppError, type ErrorDetails } from '../../runtime/errors.js';
import { invokeFunction } from '../../runtime/invoke.js';
import type { RunningPlatform } from '../../runtime/local-runner.js';
import { CliError, EXIT } from '../cli-error.js';
import type { Output } from '../output.js';
import { renderBacktest, renderLibrary, type BacktestOutput } from '../present-backtest.js';
import type { IngestOutput } from '../present-ingest.js';
import { makeProgress } from '../progress.js';
import { resolveTarget, withDirectPlatform, type RemoteResponse } from '../target.js';
import { ingestInPlatform, sizeOrUsageError, viaRunner } from './ingest.js';

export interface BacktestFlags {
  url?: string;
  bars?: string;
  strategy?: string;
  param: string[];
  trades?: string;
  store?: boolean;
  symbol?: string;
  balance?: number;
  closeAtEnd?: boolean;
  cache: boolean;
  listStrategies?: boolean;
}

type Strategy = { spec: StrategySpec; request: { strategy: string } | { spec: Record<string, unknown> } };
type Bars = { kind: 'file'; path: string; size: number } | { kind: 'dataset'; id: string };

const DATASET_ID = /^bars_[0-9a-f]{6,64}$/;

/**
 * `trading-ai backtest`: a bar file (ingested first) or a dataset id, a spec file or a library name,
 * parameter values; runs the single-backtest function through the runner when one is up, otherwise in
 * this process on the data directory. Exit 2 when the command line names something that does not
 * exist or is malformed (options, a strategy name, a file, a dataset id, a parameter or its value);
 * exit 1 when what it names cannot be backtested (a spec file that is not a valid spec, bars that
 * break the rules, too few bars) or the run fails.
 */
export async function backtestCommand(config: Config, out: Output, flags: BacktestFlags): Promise<void> {
  if (flags.listStrategies) {
    out.result({ strategies: describeLibrary() }, renderLibrary);
    return;
  }
  if (!flags.bars || !flags.strategy) throw new CliError('backtest needs --bars <file|datasetId> and --strategy <spec.json|name> (or --list-strategies)', EXIT.usage);
  const strategy = await readStrategy(flags.strategy);
  const params = parseParams(flags.param, strategy.spec);
  const bars = await classifyBars(flags.bars);
  const ingestOptions = IngestOptions.parse({ symbol: flags.symbol });
  const request = (datasetId: string): SingleBacktestRequest => ({
    datasetId,
    ...strategy.request,
    params: [params],
    options: {
      ...(flags.symbol ? { symbol: flags.symbol } : {}),
      ...(flags.balance !== undefined ? { startingBalance: flags.balance } : {}),
      closeAtEnd: flags.closeAtEnd ?? false,
      include: { trades: flags.trades !== undefined },
      store: flags.store ?? false,
      cache: flags.cache,
    },
  });

  const progress = makeProgress(!out.json);
  const target = await resolveTarget(config, flags.url);
  let res: RemoteResponse;
  try {
    if (target.kind === 'remote') {
      const datasetId = bars.kind === 'dataset' ? bars.id : barsDataset(await viaRunner(target.client, [bars.path], [bars.size], ingestOptions, true, progress), bars.path);
      res = await target.client.call('single-backtest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request(datasetId)) });
    } else {
      res = await withDirectPlatform(config, async (p) => {
        try {
          const datasetId = bars.kind === 'dataset' ? bars.id : barsDataset(await ingestInPlatform(p, config, [bars.path], [bars.size], ingestOptions, progress), bars.path);
          return await callInProcess(p, request(datasetId));
        } finally {
          await releaseBacktestRuntime();
        }
      });
    }
  } finally {
    progress.stop();
  }
  if (res.status !== 200) throw failure(res, strategy.spec);
  const result: BacktestOutput = res.body as SingleBacktestResponse;
  const candidate = result.candidates[0];
  if (flags.trades !== undefined && candidate?.ok) {
    const rows = candidate.trades ?? [];
    await writeTrades(flags.trades, rows);
    result.tradesFile = { path: flags.trades, trades: rows.length };
  }
  out.result(result, renderBacktest);
}

/** The function called in this process through the same invocation path HTTP uses (validation, error envelope). */
async function callInProcess(p: RunningPlatform, body: SingleBacktestRequest): Promise<RemoteResponse> {
  const def = p.functions.get('single-backtest');
  if (!def) throw new CliError('stack.yml lists no single-backtest function', EXIT.failed);
  const callId = randomUUID();
  const r = await invokeFunction(def, { method: 'POST', path: '/function/single-backtest', query: {}, headers: {}, callId, json: body }, p.context(callId));
  return { status: r.status ?? 200, body: r.body };
}

async function readStrategy(arg: string): Promise<Strategy> {
  const file = await isFile(arg);
  if (!file) {
    if (LIBRARY_SPEC_NAMES.includes(arg)) return { spec: loadLibrarySpec(arg), request: { strategy: arg } };
    const looksLikePath = arg.includes('/') || arg.includes('\\') || arg.endsWith('.json');
    throw new CliError(
      looksLikePath
        ? `cannot read ${arg}: no such file`
        : `unknown strategy "${arg}": give a spec file or one of ${LIBRARY_SPEC_NAMES.join(', ')} (trading-ai backtest --list-strategies)`,
      EXIT.usage,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(arg, 'utf8'));
  } catch (err) {
    throw new CliError(`${arg} is not a JSON strategy spec: ${(err as Error).message}`, EXIT.failed, errorBody('invalid_json', `${arg} is not JSON: ${(err as Error).message}`, { file: arg }));
  }
  try {
    return { spec: parseStrategySpec(json), request: { spec: json as Record<string, unknown> } };
  } catch (err) {
    const e = toAppError(err);
    if (e.code === 'internal') throw err;
    throw new CliError(e.message, EXIT.failed, errorBody(e.code, e.message, { ...e.details, file: arg }));
  }
}

/** `--param name=value`, typed by the spec's definition (enum indexes and True/False accepted, as in cTrader files). */
function parseParams(pairs: string[], spec: StrategySpec): Record<string, number | boolean | string> {
  const values: Record<string, number | boolean | string> = {};
  const names = Object.keys(spec.parameters);
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError(`--param takes name=value, got "${pair}"`, EXIT.usage);
    const name = pair.slice(0, at).trim();
    const raw = pair.slice(at + 1).trim();
    const definition = spec.parameters[name];
    if (!definition) throw new CliError(`${spec.name} has no parameter "${name}"; it has ${names.join(', ') || 'none'}`, EXIT.usage);
    try {
      values[name] = parameterFromText(name, definition, raw);
    } catch (err) {
      throw new CliError(toAppError(err).message, EXIT.usage);
    }
  }
  return values;
}

async function classifyBars(arg: string): Promise<Bars> {
  if (await isFile(arg)) return { kind: 'file', path: arg, size: await sizeOrUsageError(arg) };
  if (DATASET_ID.test(arg)) return { kind: 'dataset', id: arg };
  throw new CliError(`--bars ${arg}: no such file, and not a bar dataset id (bars_…; see trading-ai status)`, EXIT.usage);
}

/** The dataset a bar file became, or why it did not become one. */
function barsDataset(o: IngestOutput, file: string): string {
  const r = o.results[0];
  if (!r) throw new CliError(`${file} was not ingested`, EXIT.failed);
  if (r.status === 'failed') throw new CliError(r.error.message, EXIT.failed, { error: r.error });
  if (!isDone(r)) throw new CliError(`${file} is still being ingested (job ${r.jobId}); run again when it is done`, EXIT.failed);
  if (r.kind !== 'bars') throw new CliError(`--bars ${file} holds no price bars: it is a ${r.kind === 'backtest' ? 'backtest (trades)' : 'parameter file'}`, EXIT.usage);
  return r.datasetId;
}

/** Which exit code the function's refusal deserves: 2 when it refused something typed on the command line. */
function failure(res: RemoteResponse, spec: StrategySpec): CliError {
  const e = (res.body as { error?: { code?: string; message?: string; details?: ErrorDetails } } | null)?.error;
  const message = e?.message ?? `single-backtest failed with HTTP ${res.status}`;
  const field = e?.details?.field;
  const typed =
    (res.status === 404 && field === 'datasetId') ||
    (res.status === 400 && e?.code === 'invalid_input' && typeof field === 'string' && Object.hasOwn(spec.parameters, field)) ||
    (res.status === 400 && typeof field === 'string' && field.startsWith('options.'));
  return new CliError(message, typed ? EXIT.usage : EXIT.failed, res.body ?? errorBody('failed', message));
}

async function writeTrades(file: string, rows: Parameters<typeof tradeCsvRecords>[0]): Promise<void> {
  const csv = Papa.unparse({ fields: [...TRADE_CSV_COLUMNS], data: tradeCsvRecords(rows) }, { newline: '\n' });
  try {
    await writeFile(file, `${csv}\n`);
  } catch (err) {
    throw new CliError(`cannot write the trades to ${file}: ${(err as Error).message}`, EXIT.failed);
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

function errorBody(code: string, message: string, details?: ErrorDetails) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}
