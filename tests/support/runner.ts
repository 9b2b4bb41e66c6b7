import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, spawnNode, waitForHttp, type Spawned } from './processes.js';

export interface TestRunner {
  url: (p: string) => string;
  proc: Spawned;
  dataDir: string;
  readyMs: number;
  stop(): Promise<number | null>;
}

/**
 * `trading-ai serve` as a real process on a free port and a fresh data directory, or on `dataDir`
 * (a restart), which `stop` then leaves in place.
 */
export async function startTestRunner(env: Record<string, string> = {}, options: { dataDir?: string } = {}): Promise<TestRunner> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'runner-')));
  const port = await freePort();
  const proc = spawnNode(['lib/cli/bin.mjs', 'serve'], { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env });
  const readyMs = await waitForHttp(`http://127.0.0.1:${port}/healthz`, proc, 30_000);
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    proc,
    dataDir,
    readyMs,
    async stop() {
      if (proc.child.exitCode === null) proc.child.kill('SIGTERM');
      const code = await proc.exited;
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
