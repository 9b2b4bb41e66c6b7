import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnNode, waitForHttp, type Spawned } from '../support/processes.js';

const TOKEN = 'test-token-0123456789abcdef';

describe('node20-ts template bootstrap, as a real process', () => {
  let dir: string;
  let port: number;
  let proc: Spawned;
  const url = (p: string) => `http://127.0.0.1:${port}${p}`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bootstrap-'));
    port = await freePort();
    proc = spawnNode(['--import', 'tsx', 'templates/node20-ts/bootstrap.ts'], {
      FUNCTION_NAME: 'slow',
      FUNCTION_HANDLER: path.resolve('tests/fixtures/functions/slow/handler.ts'),
      PORT: String(port),
      DATA_DIR: dir,
      AUTH_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '10000',
      FUNCTION_ALLOW_EMBEDDED: 'true',
    });
    await waitForHttp(url('/_/health'), proc);
  });

  afterAll(async () => {
    proc.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const call = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(url('/'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses to start as a cluster function without a database and a bus', async () => {
    const p = spawnNode(['--import', 'tsx', 'templates/node20-ts/bootstrap.ts'], {
      FUNCTION_NAME: 'slow',
      FUNCTION_HANDLER: path.resolve('tests/fixtures/functions/slow/handler.ts'),
      PORT: String(await freePort()),
      DATA_DIR: dir,
      SECRETS_DIR: dir,
      DATABASE_URL: '',
      NATS_URL: '',
    });
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/DATABASE_URL and NATS_URL not set/);
  });

  it('answers health and readiness', async () => {
    expect((await fetch(url('/_/health'))).status).toBe(200);
    expect((await fetch(url('/_/ready'))).status).toBe(200);
  });

  it('serves the function on any path and validates its input with the error envelope', async () => {
    const ok = await call({ ms: 1 });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ slept: 1 });
    expect(ok.headers.get('x-call-id')).toBeTruthy();
    const bad = await call({ ms: 'soon' });
    expect(bad.status).toBe(400);
    const envelope = (await bad.json()) as { error: { code: string; details: { issues: { path: string }[] }; callId: string } };
    expect(envelope.error.code).toBe('invalid_input');
    expect(envelope.error.details.issues[0]!.path).toBe('ms');
  });

  it('keeps the call id it is given', async () => {
    const res = await call({ ms: 1 }, { authorization: `Bearer ${TOKEN}`, 'x-call-id': 'abc-123' });
    expect(res.headers.get('x-call-id')).toBe('abc-123');
  });

  it('requires the bearer token', async () => {
    expect((await call({ ms: 1 }, {})).status).toBe(401);
    expect((await call({ ms: 1 }, { authorization: 'Bearer wrong-token-0000000000' })).status).toBe(403);
  });

  it('refuses a JSON body over the size limit with 413', async () => {
    const res = await call({ ms: 1, pad: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('exposes Prometheus metrics for its calls', async () => {
    const text = await (await fetch(url('/metrics'))).text();
    expect(text).toMatch(/trading_ai_function_invocations_total\{function="slow",status="200"\} \d+/);
    expect(text).toMatch(/trading_ai_function_errors_total\{function="slow",code="invalid_input"\} 1/);
    expect(text).toContain('trading_ai_function_duration_seconds_bucket');
  });

  it('on SIGTERM finishes the call in flight, refuses new ones, and exits 0', async () => {
    const inFlight = call({ ms: 1500 });
    await new Promise((r) => setTimeout(r, 300));
    proc.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    const late = await call({ ms: 1 }).then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(late);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slept: 1500 });
    expect(await proc.exited).toBe(0);
  });
});
