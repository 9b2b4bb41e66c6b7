import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileStrategy, runBacktest } from '../../lib/domain/backtest/index.js';
import { loadLibrarySpec } from '../../lib/domain/strategy/index.js';
import type { BarColumns } from '../../lib/formats/types.js';
import { freePort } from '../support/processes.js';
import { startTestRunner, type TestRunner } from '../support/runner.js';

const BARS_FILE = path.resolve('tests/fixtures/backtest/eurusd-h1-2024-01.csv');

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['lib/cli/bin.mjs', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

/** The fixture read independently of the platform's CSV reader, and run on the engine directly. */
async function expectedRun(params: Record<string, number>) {
  const lines = (await readFile(BARS_FILE, 'utf8')).trim().split('\n').slice(1);
  const col = () => new Float64Array(lines.length);
  const bars: BarColumns = { length: lines.length, time: col(), open: col(), high: col(), low: col(), close: col(), volume: col() };
  lines.forEach((line, i) => {
    const [t, o, h, l, c, v] = line.split(',');
    bars.time[i] = Date.parse(`${t!.replace(' ', 'T')}Z`);
    bars.open[i] = Number(o);
    bars.high[i] = Number(h);
    bars.low[i] = Number(l);
    bars.close[i] = Number(c);
    bars.volume[i] = Number(v);
  });
  return runBacktest(bars, compileStrategy(loadLibrarySpec('sma-cross'), params), { symbol: 'EURUSD', startingBalance: 10_000 });
}

describe('trading-ai backtest, with a runner up', () => {
  let runner: TestRunner;
  let env: Record<string, string>;
  let tmp: string;
  let datasetId: string;
  const status = async () => (await (await fetch(runner.url('/function/status?limit=100'))).json()) as any;
  const call = async (body: unknown) => {
    const res = await fetch(runner.url('/function/single-backtest'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    runner = await startTestRunner({ SAMPLE_DATA: 'false' });
    env = { DATA_DIR: runner.dataDir, PORT: new URL(runner.url('/')).port };
    tmp = await mkdtemp(path.join(os.tmpdir(), 'backtest-e2e-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
    expect(await runner.stop()).toBe(0);
  });

  it('lists single-backtest among the functions, scaling to 8 replicas', async () => {
    const fns = (await (await fetch(runner.url('/system/functions'))).json()) as any[];
    const fn = fns.find((f) => f.name === 'single-backtest');
    expect(fn.labels['com.openfaas.scale.max']).toBe('8');
    expect(fn.annotations.topic).toBeUndefined();
  });

  it('ingests a bar file, backtests it with a library strategy and reports the engine\'s metrics', async () => {
    const r = cli(['--json', 'backtest', '--bars', BARS_FILE, '--strategy', 'sma-cross', '--param', 'fastPeriod=10', '--param', 'slowPeriod=30', '--symbol', 'EURUSD'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    datasetId = out.datasetId;
    expect(datasetId).toMatch(/^bars_/);
    expect(out).toMatchObject({ strategy: 'sma-cross', symbol: 'EURUSD', bars: { count: 720, first: '2024-01-01T00:00:00.000Z' } });
    const expected = await expectedRun({ fastPeriod: 10, slowPeriod: 30 });
    const c = out.candidates[0];
    expect(c).toMatchObject({ ok: true, params: { fastPeriod: 10, slowPeriod: 30, lots: 0.1 }, cached: false });
    expect(c.metrics.totalTrades).toBe(expected.metrics.totalTrades);
    expect(c.metrics.netProfit).toBeCloseTo(expected.metrics.netProfit, 8);
    expect(c.account.equity).toBeCloseTo(expected.account.equity, 8);
  });

  it('answers the same run again from the result cache', async () => {
    const r = cli(['--json', 'backtest', '--bars', datasetId, '--strategy', 'sma-cross', '--param', 'fastPeriod=10', '--param', 'slowPeriod=30', '--symbol', 'EURUSD'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().cache.hits).toEqual([0]);
    expect(r.json().candidates[0].cached).toBe(true);
  });

  it('prints a metrics table and writes the trades as CSV with --trades', async () => {
    const file = path.join(tmp, 'trades.csv');
    const r = cli(['backtest', '--bars', datasetId, '--strategy', 'sma-cross', '--param', 'fastPeriod=10', '--param', 'slowPeriod=30', '--close-at-end', '--trades', file], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/net profit/);
    expect(r.stdout).toMatch(/profit factor/);
    const csv = Papa.parse<Record<string, string>>(await readFile(file, 'utf8'), { header: true, skipEmptyLines: true });
    expect(csv.meta.fields).toEqual(expect.arrayContaining(['entryTime', 'exitTime', 'direction', 'net', 'closeReason']));
    const expected = await expectedRun({ fastPeriod: 10, slowPeriod: 30 });
    expect(csv.data.length).toBe(expected.metrics.totalTrades + expected.openPositions.length);
    expect(csv.data.at(-1)!.closeReason).toBe('end_of_data');
    expect(csv.data[0]!.entryTime).toMatch(/^2024-01-\d\dT\d\d:00:00\.000Z$/);
    expect(r.stdout).toContain(`${csv.data.length} trades written to ${file}`);
  });

  it('stores the run as a backtest visible in status with --store, once however often it is repeated', async () => {
    const args = ['--json', 'backtest', '--bars', datasetId, '--strategy', 'sma-cross', '--param', 'fastPeriod=20', '--store'];
    const first = cli(args, env);
    expect(first.code, first.stderr).toBe(0);
    const c = first.json().candidates[0];
    expect(c).toMatchObject({ ok: true, stored: 'created', backtestId: expect.stringMatching(/^bt_/) });
    const listed = (await status()).backtests.filter((b: any) => b.id === c.backtestId);
    expect(listed).toEqual([expect.objectContaining({ sourceKind: 'engine', tradeCount: c.metrics.totalTrades, symbols: ['EURUSD'] })]);
    const again = cli([...args, '--no-cache'], env);
    expect(again.json().candidates[0]).toMatchObject({ stored: 'existing', backtestId: c.backtestId, cached: false });
    expect((await status()).backtests.filter((b: any) => b.sourceKind === 'engine')).toHaveLength(1);
  });

  it('exits 2 for a strategy name, parameter or dataset id that does not exist, and 1 for a spec file that is not a valid spec', async () => {
    const unknown = cli(['backtest', '--bars', datasetId, '--strategy', 'sma-crosss'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown strategy "sma-crosss".*sma-cross/);
    const badValue = cli(['backtest', '--bars', datasetId, '--strategy', 'sma-cross', '--param', 'fastPeriod=3'], env);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(/fastPeriod must be an integer between 5 and 50.*field "fastPeriod"/);
    const noDataset = cli(['backtest', '--bars', 'bars_000000000000000000000000', '--strategy', 'sma-cross'], env);
    expect(noDataset.code).toBe(2);
    expect(noDataset.stderr).toMatch(/no bar dataset "bars_000000000000000000000000"/);

    const spec = JSON.parse(JSON.stringify(loadLibrarySpec('sma-cross')));
    spec.indicators[1].params.period = { param: 'slowPeriodd' };
    const specFile = path.join(tmp, 'bad-spec.json');
    await writeFile(specFile, JSON.stringify(spec));
    const badSpec = cli(['backtest', '--bars', datasetId, '--strategy', specFile], env);
    expect(badSpec.code).toBe(1);
    expect(badSpec.stderr).toContain(`${specFile}, field "indicators[1].params.period"`);
  });

  it('exits 1 naming the indicator and the bars needed when the data is too short for the warm-up', async () => {
    const lines = (await readFile(BARS_FILE, 'utf8')).split('\n').slice(0, 41).join('\n');
    const short = path.join(tmp, 'short.csv');
    await writeFile(short, `${lines}\n`);
    const r = cli(['backtest', '--bars', short, '--strategy', 'sma-cross'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/indicator "slow".*at least 51 bars.*has 40/);
  });

  describe('the function over HTTP', () => {
    it('keeps a bad candidate as an error value beside the good ones', async () => {
      const r = await call({ datasetId, strategy: 'sma-cross', params: [{ fastPeriod: 15 }, { fastPeriod: 'x' }, { slowPeriod: 40 }] });
      expect(r.status).toBe(200);
      expect(r.body.candidates.map((c: any) => c.ok)).toEqual([true, false, true]);
      expect(r.body.candidates[1].error).toMatchObject({ code: 'invalid_input', details: { field: 'fastPeriod' } });
    });

    it('refuses a bad spec with 400 and the JSON path, an unknown dataset with 404 naming it, bad input with the field', async () => {
      const spec = JSON.parse(JSON.stringify(loadLibrarySpec('sma-cross')));
      spec.rules.long.entry.right = 'slowest';
      const badSpec = await call({ datasetId, spec, params: [{}] });
      expect(badSpec.status).toBe(400);
      expect(badSpec.body.error).toMatchObject({ code: 'invalid_input', details: { field: 'rules.long.entry.right' } });
      const missing = await call({ datasetId: 'bars_nope', strategy: 'sma-cross' });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain('bars_nope');
      const badInput = await call({ datasetId, strategy: 'sma-cross', options: { startingBalance: -5 } });
      expect(badInput.status).toBe(400);
      expect(badInput.body.error.details.field).toBe('options.startingBalance');
    });
  });
});

describe('trading-ai backtest, directly on a data directory (no runner)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'backtest-direct-'));
    env = { DATA_DIR: dataDir, PORT: String(await freePort()), SAMPLE_DATA: 'false' };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('ingests and backtests in one process, with the same metrics as the engine', async () => {
    const r = cli(['--json', 'backtest', '--bars', BARS_FILE, '--strategy', 'sma-cross', '--param', 'fastPeriod=10', '--param', 'slowPeriod=30', '--symbol', 'EURUSD', '--store'], env);
    expect(r.code, r.stderr).toBe(0);
    const c = r.json().candidates[0];
    const expected = await expectedRun({ fastPeriod: 10, slowPeriod: 30 });
    expect(c.metrics.totalTrades).toBe(expected.metrics.totalTrades);
    expect(c.metrics.netProfit).toBeCloseTo(expected.metrics.netProfit, 8);
    expect(c.stored).toBe('created');
    const s = cli(['--json', 'status'], env);
    expect(s.json().backtests).toEqual([expect.objectContaining({ id: c.backtestId, sourceKind: 'engine' })]);
  });

  it('lists the library strategies with their parameter spaces', () => {
    const r = cli(['--json', 'backtest', '--list-strategies'], env);
    expect(r.code).toBe(0);
    const sma = r.json().strategies.find((s: any) => s.name === 'sma-cross');
    expect(sma.parameters).toContainEqual(expect.objectContaining({ name: 'fastPeriod', type: 'int', default: 10, min: 5, max: 50, step: 5, optimize: true }));
    const text = cli(['backtest', '--list-strategies'], env);
    expect(text.stdout).toMatch(/donchian-breakout/);
  });

  it('exits 2 without --bars or --strategy, or with a --bars that is neither a file nor a dataset id', () => {
    expect(cli(['backtest', '--strategy', 'sma-cross'], env).code).toBe(2);
    const r = cli(['backtest', '--bars', '/no/such/bars.csv', '--strategy', 'sma-cross'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
  });
});
