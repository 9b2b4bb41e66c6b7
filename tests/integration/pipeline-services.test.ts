import { readFile } from 'node:fs/promises';
import { connect, headers as natsHeaders } from 'nats';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '../support/runner.js';

const { DATABASE_URL, NATS_URL, REDIS_URL } = process.env;
const ready = DATABASE_URL && NATS_URL && REDIS_URL;

describe.skipIf(!ready)('the platform on PostgreSQL, NATS JetStream and Redis (skipped unless DATABASE_URL, NATS_URL and REDIS_URL are set)', () => {
  let runner: TestRunner;
  let dbName: string;
  let dbUrl: string;

  beforeAll(async () => {
    dbName = `trading_ai_it_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(DATABASE_URL!);
    u.pathname = `/${dbName}`;
    dbUrl = u.toString();
    runner = await startTestRunner({ DATABASE_URL: dbUrl, NATS_URL: NATS_URL!, REDIS_URL: REDIS_URL!, SAMPLE_DATA: 'false', BUS_MAX_DELIVER: '2' });
  });

  afterAll(async () => {
    expect(await runner?.stop()).toBe(0);
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  const status = async () => (await (await fetch(runner.url('/function/status?limit=50'))).json()) as any;

  it('ingests through JetStream into Postgres, exactly once, with exact money', async () => {
    const csv = await readFile(new URL('../fixtures/formats/history-tab.csv', import.meta.url));
    const res = await fetch(runner.url('/function/parse'), { method: 'POST', headers: { 'x-file-name': 'History.csv', 'content-type': 'text/csv' }, body: csv });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.results[0]).toMatchObject({ status: 'loaded', summary: { trades: 3, netProfit: 30.55 } });
    const again = (await (await fetch(runner.url('/function/parse'), { method: 'POST', headers: { 'x-file-name': 'x.csv', 'content-type': 'text/csv' }, body: csv })).json()) as any;
    expect(again.results[0].status).toBe('existing');

    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    const { rows } = await db.query('select count(*)::int as n, sum(net)::text as net from trades where backtest_id = $1', [body.results[0].backtestId]);
    await db.end();
    expect(rows[0]).toEqual({ n: 3, net: '30.55' });
  });

  it('dead-letters a message its stage cannot take, recording the last error in Postgres', async () => {
    const nc = await connect({ servers: NATS_URL! });
    const js = nc.jetstream();
    const id = `parse-bogus-${randomBytes(4).toString('hex')}`;
    const h = natsHeaders();
    h.set('Nats-Msg-Id', id);
    await js.publish('pipeline.parse', new TextEncoder().encode(JSON.stringify({ id, stage: 'parse', payload: { jobId: 'x' }, createdAt: new Date().toISOString(), callId: 'it' })), { headers: h });
    await nc.close();
    for (let i = 0; i < 100; i++) {
      const dead = (await status()).deadLetters.find((d: any) => d.messageId === id);
      if (dead) {
        expect(dead).toMatchObject({ stage: 'parse', attempts: 1, lastError: expect.stringContaining('invalid_input') });
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no dead letter recorded');
  });
});
