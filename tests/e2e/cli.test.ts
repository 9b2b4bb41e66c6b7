import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';
import { startTestRunner, type TestRunner } from '../support/runner.js';

const fixture = (p: string) => path.resolve('tests/fixtures', p);

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['lib/cli/bin.mjs', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

describe('trading-ai CLI', () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
    // A port nobody listens on: commands work directly on the data directory.
    env = { DATA_DIR: dataDir, PORT: String(await freePort()), SAMPLE_DATA: 'false' };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('prints the configuration with secrets and URL passwords masked', () => {
    const r = cli(['--json', 'config'], { ...env, AUTH_TOKEN: 'secret-token-0123456789', DATABASE_URL: 'postgres://u:pw@db:5432/x' });
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.config.AUTH_TOKEN).toBe('***');
    expect(out.config.DATABASE_URL).toBe('postgres://u:***@db:5432/x');
    expect(out.adapters.store).toBe('postgres');
    expect(r.stdout).not.toContain('secret-token');
  });

  it('refuses an invalid configuration at start, naming the variable, with exit code 2', () => {
    const r = cli(['config'], { ...env, PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PORT/);
  });

  it('exits 2 for bad usage and a missing file', () => {
    expect(cli(['frobnicate'], env).code).toBe(2);
    const missing = cli(['ingest', '/no/such/file.csv'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it('ingests directly on the data directory when no runner is up, and reports the summary as JSON', () => {
    const r = cli(['--json', 'ingest', fixture('formats/history-tab.csv')], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().results[0]).toMatchObject({ status: 'loaded', kind: 'backtest', summary: { trades: 3, netProfit: 30.55 } });
    const again = cli(['--json', 'ingest', fixture('formats/history-tab.csv')], env);
    expect(again.json().results[0].status).toBe('existing');
  });

  it('exits 1 and names the problem when a file cannot be ingested', async () => {
    const bad = path.join(dataDir, 'empty.csv');
    await writeFile(bad, '');
    const r = cli(['ingest', bad], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/empty_file/);
  });

  it('shows jobs, uploads and loaded backtests in status', () => {
    const r = cli(['--json', 'status'], env);
    expect(r.code).toBe(0);
    const s = r.json();
    expect(s.backtests).toHaveLength(1);
    expect(s.uploads.map((u: { status: string }) => u.status).sort()).toEqual(['failed', 'loaded']);
  });

  describe('with a runner up', () => {
    let runner: TestRunner;
    let runnerEnv: Record<string, string>;
    beforeAll(async () => {
      runner = await startTestRunner({ SAMPLE_DATA: 'false' });
      runnerEnv = { DATA_DIR: runner.dataDir, PORT: new URL(runner.url('/')).port };
    });
    afterAll(async () => {
      await runner.stop();
    });

    it('sends files to the runner instead of opening its data directory', () => {
      const r = cli(['--json', 'ingest', fixture('formats/report.json'), fixture('formats/events-excerpt.json')], runnerEnv);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json().results).toHaveLength(1);
      expect(r.json().results[0]).toMatchObject({ status: 'loaded', summary: { trades: 3 } });
    });

    it('finds the runner that owns a data directory through its lock file, whatever PORT says', () => {
      const r = cli(['--json', 'status'], { DATA_DIR: runner.dataDir, PORT: '1' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.json().backtests).toHaveLength(1);
    });
  });

  it('will not open a data directory another live process holds', async () => {
    const held = await mkdtemp(path.join(os.tmpdir(), 'held-'));
    // This test's own process is alive, and serves nothing.
    await writeFile(path.join(held, 'owner.lock'), JSON.stringify({ pid: process.pid, url: null, since: new Date().toISOString() }));
    const r = cli(['status'], { DATA_DIR: held, PORT: '1' });
    await rm(held, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`in use by process ${process.pid}`));
  });

  it('takes over the lock of a process that died without releasing it', async () => {
    const stale = await mkdtemp(path.join(os.tmpdir(), 'stale-'));
    await writeFile(path.join(stale, 'owner.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, url: null, since: '2026-01-01T00:00:00Z' }));
    const r = cli(['--json', 'status'], { DATA_DIR: stale, PORT: '1', SAMPLE_DATA: 'false' });
    await rm(stale, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
  });
});
