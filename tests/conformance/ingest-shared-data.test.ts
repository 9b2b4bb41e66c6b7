import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';

const shared = path.resolve('../shared/data');
const present = existsSync(shared);

function ingest(files: string[], env: Record<string, string>, extra: string[] = []) {
  const r = spawnSync(process.execPath, ['lib/cli/bin.mjs', '--json', 'ingest', ...files, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`ingest exited ${r.status}: ${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as { results: any[] };
}

describe.skipIf(!present)(`ingest of ../shared/data through the whole pipeline${present ? '' : ' (SKIPPED: ../shared/data is absent)'}`, () => {
  let env: Record<string, string>;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'conformance-'));
    env = { DATA_DIR: dataDir, PORT: String(await freePort()), SAMPLE_DATA: 'false' };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('loads the real events.json as 698 trades whose balance adds up to the file', () => {
    const [r] = ingest([path.join(shared, 'real/ctrader-events-698-positions.json')], env, ['--symbol', 'US500']).results;
    expect(r).toMatchObject({ status: 'loaded', kind: 'backtest' });
    expect(r.summary).toMatchObject({
      trades: 698,
      startingBalance: 420,
      endingBalance: 34829.36,
      netProfit: 34409.36,
      symbols: [{ symbol: 'US500', trades: 698 }],
      commissions: null,
      swaps: null,
    });
    // The file's gross profits sum to 34,534.57; the balances say 34,409.36. The difference is not itemised.
    expect(r.summary.unitemisedCosts).toBeCloseTo(34409.36 - 34534.57, 2);
    expect(r.issues.rejects).toBe(0);
  });

  it.each([
    ['peer/backtrader-2006-day-001.txt', 'backtrader', 255],
    ['peer/backtestingpy-GOOG.csv', 'backtesting.py', 2148],
    ['peer/backtestingpy-EURUSD-h1.csv', 'backtesting.py', 5000],
  ])('loads %s as a %s bar dataset of %i bars', (file, layout, bars) => {
    const [r] = ingest([path.join(shared, file)], env).results;
    expect(r).toMatchObject({ status: 'loaded', kind: 'bars', layout, bars });
  });
});
