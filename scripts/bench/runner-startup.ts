import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, spawnNode, waitForHttp, type Spawned } from '../../tests/support/processes.js';
import type { BenchResult } from './measure.js';

/**
 * `npm start` to ready (GET /healthz 200) on a fresh data directory and on an existing one, and the
 * platform's overhead on a warm synchronous call: client round trip minus the function's own time
 * (X-Duration-Seconds), over 2,000 sequential calls.
 *   node --import tsx scripts/bench/runner-startup.ts
 */
async function startAndTime(dataDir: string, port: number): Promise<{ spawned: Spawned; readyMs: number }> {
  const started = performance.now();
  const spawned = spawnNode(['--max-semi-space-size=64', 'lib/cli/bin.mjs', 'serve'], { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' });
  // Fails with the runner's output if it exits or is not up in a minute, instead of waiting for ever.
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, spawned, 60_000, 10);
  return { spawned, readyMs: performance.now() - started };
}

async function stop(spawned: Spawned): Promise<void> {
  spawned.child.kill('SIGTERM');
  await spawned.exited;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function run(): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-start-'));
  const port = await freePort();
  const first = await startAndTime(dataDir, port);
  // Let the sample dataset finish loading so the warm calls measure an idle platform.
  for (let i = 0; ; i++) {
    const s = (await (await fetch(`http://127.0.0.1:${port}/function/status?limit=1`)).json()) as { backtests: unknown[] };
    if (s.backtests.length > 0) break;
    if (i >= 600) throw new Error(`the sample dataset did not load within a minute:\n${first.spawned.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const overheads: number[] = [];
  for (let i = 0; i < 2_200; i++) {
    const t = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/function/status?jobs=none`);
    await res.arrayBuffer();
    const total = performance.now() - t;
    if (i >= 200) overheads.push(total - Number(res.headers.get('x-duration-seconds')) * 1000);
  }
  await stop(first.spawned);
  const second = await startAndTime(dataDir, port);
  await stop(second.spawned);
  await rm(dataDir, { recursive: true, force: true });
  return [
    { name: 'npm start to ready, first start (embedded database from the install-time template)', value: Math.round(first.readyMs), unit: 'ms', target: '≤ 5000 ms' },
    { name: 'npm start to ready, later starts', value: Math.round(second.readyMs), unit: 'ms', target: '≤ 5000 ms' },
    { name: 'platform overhead of a warm sync call, p50', value: Number(percentile(overheads, 50).toFixed(2)), unit: 'ms', target: '≤ 5 ms' },
    { name: 'platform overhead of a warm sync call, p95', value: Number(percentile(overheads, 95).toFixed(2)), unit: 'ms', target: '≤ 5 ms' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) process.stdout.write(`${r.name}: ${r.value} ${r.unit}${r.target ? ` (target ${r.target})` : ''}\n`);
}
