import type { Config } from '../runtime/config.js';
import { createLogger } from '../runtime/logger.js';
import { startLocalRunner, type RunningPlatform } from '../runtime/local-runner.js';
import { CliError, EXIT } from './cli-error.js';
import { liveLockHolder } from '../runtime/data-dir-lock.js';

export type Target = { kind: 'remote'; client: RemoteClient } | { kind: 'direct'; config: Config };

/**
 * Commands talk to a running runner when one answers (it owns the data directory), and otherwise
 * open the data directory themselves. `--url` insists on a runner.
 */
export async function resolveTarget(config: Config, url: string | undefined): Promise<Target> {
  const base = url ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
  const client = new RemoteClient(base, config.AUTH_TOKEN);
  if (await client.healthy(500)) return { kind: 'remote', client };
  if (url) throw new CliError(`no trading-ai runner answers at ${url} (GET /healthz)`, EXIT.failed);
  // A busy runner can miss a quick probe; the lock file says whether one owns this data directory, and where.
  const holder = config.DATABASE_URL ? undefined : await liveLockHolder(config.dataDir);
  if (holder?.url) {
    const owner = new RemoteClient(holder.url, config.AUTH_TOKEN);
    if (await owner.healthy(10_000)) return { kind: 'remote', client: owner };
  }
  return { kind: 'direct', config };
}

/** Runs `work` against an in-process platform on the data directory, without HTTP. */
export async function withDirectPlatform<T>(config: Config, work: (p: RunningPlatform) => Promise<T>): Promise<T> {
  const platform = await startLocalRunner(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), { listen: false });
  try {
    return await work(platform);
  } finally {
    await platform.close();
  }
}

export interface RemoteResponse {
  status: number;
  body: unknown;
}

export class RemoteClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  async healthy(timeoutMs: number): Promise<boolean> {
    try {
      const res = await fetch(new URL('/healthz', this.baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  async call(
    fn: string,
    init: { method?: string; query?: Record<string, string | undefined>; body?: ReadableStream<Uint8Array> | string; headers?: Record<string, string>; duplex?: 'half' } = {},
  ): Promise<RemoteResponse> {
    const url = new URL(`/function/${fn}`, this.baseUrl);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { ...(init.headers ?? {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      ...(init.body !== undefined ? { body: init.body, duplex: 'half' } : {}),
    } as RequestInit);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // a proxy's plain-text error; keep it as text
    }
    return { status: res.status, body };
  }
}
