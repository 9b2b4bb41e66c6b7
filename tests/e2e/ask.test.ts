import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';
import { startTestRunner, type TestRunner } from '../support/runner.js';

const SAMPLE = path.resolve('lib/sample-data/History-TrendBot-2025.csv');

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['lib/cli/bin.mjs', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

describe('trading-ai ask and insights against a runner with the bundled sample', () => {
  let runner: TestRunner;
  let env: Record<string, string>;
  beforeAll(async () => {
    runner = await startTestRunner({ SAMPLE_DATA: 'true' });
    env = { DATA_DIR: runner.dataDir, PORT: new URL(runner.url('/')).port };
    for (let i = 0; i < 300; i++) {
      const s = (await (await fetch(runner.url('/function/status?limit=5'))).json()) as { backtests?: { tradeCount: number }[] };
      if ((s.backtests ?? []).length > 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('sample dataset not loaded');
  });
  afterAll(async () => {
    expect(await runner.stop()).toBe(0);
  });

  it('answers a count over the most recent backtest, with its facts and plan', () => {
    const r = cli(['ask', 'How many trades are there?', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const a = r.json();
    expect(a).toMatchObject({ mode: 'answer', model: 'none', planSource: 'parser', plan: { intent: 'aggregate', metrics: ['count'] } });
    expect(a.facts.columns).toEqual(['trades']);
    expect(a.facts.rows).toEqual([[2000]]);
  });

  it('names the days to avoid with their numbers (the sample loses on Fridays)', () => {
    const r = cli(['ask', 'Which days should I avoid?', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const a = r.json();
    expect(a.plan.intent).toBe('avoid');
    const friday = a.facts.rows.find((row: unknown[]) => row[0] === 'Friday');
    expect(friday[1]).toBe('avoid');
    expect(a.answer).toMatch(/^Avoid .*Friday/);
    const net = String(friday[2]).replace(/^(-?)(\d+)/, (_: string, s: string, d: string) => s + Number(d).toLocaleString('en-US'));
    expect(a.answer).toContain(net);
  });

  it('prints prose and a table without --json, and answers the headline filter question', () => {
    const r = cli(['ask', 'EURUSD shorts after 21:00 UTC in 2025'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Scope: EURUSD sells \(shorts\) opened 21:00-24:00 UTC/);
    expect(r.stdout).toMatch(/net\s+trades\s+win_rate_pct/);
  });

  it('runs insights for a backtest id', () => {
    const id = cli(['ask', 'net profit', '--json'], env).json().backtestId;
    const r = cli(['insights', id, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const i = r.json();
    expect(i).toMatchObject({ mode: 'insights', backtestId: id, trades: 2000 });
    expect(i.findings.some((f: { kind: string; text: string }) => f.kind === 'window' && /Friday/.test(f.text))).toBe(true);
    expect(i.features.importance.length).toBeGreaterThan(0);
  });

  it('fails with 1 for an unknown backtest and 2 for bad usage', () => {
    const missing = cli(['ask', 'net profit', '--backtest', 'no-such-backtest', '--json'], env);
    expect(missing.code).toBe(1);
    expect(missing.json().error.message).toMatch(/no backtest with id no-such-backtest/);
    expect(cli(['ask', 'net profit', '--k', '0'], env).code).toBe(2);
    expect(cli(['ask'], env).code).toBe(2);
  });
});

describe('trading-ai ask in direct mode (no runner)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ask-direct-'));
    env = { DATA_DIR: dataDir, PORT: String(await freePort()), SAMPLE_DATA: 'false' };
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('says nothing is loaded, then answers once the sample is ingested', () => {
    const empty = cli(['ask', 'net profit', '--json'], env);
    expect(empty.code).toBe(1);
    expect(empty.json().error.message).toMatch(/no backtest is loaded yet/);
    const ingest = cli(['ingest', SAMPLE, '--json'], env);
    expect(ingest.code, ingest.stderr).toBe(0);
    const r = cli(['ask', 'win rate by weekday', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const a = r.json();
    expect(a.facts.columns).toEqual(['weekday', 'win_rate_pct', 'wins', 'trades']);
    expect(a.facts.rows.reduce((s: number, row: unknown[]) => s + Number(row[3]), 0)).toBe(2000);
    const ins = cli(['insights', '--json'], env);
    expect(ins.code, ins.stderr).toBe(0);
    expect(ins.json().trades).toBe(2000);
  });
});
