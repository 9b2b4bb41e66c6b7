import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPgliteDriver } from '../../lib/adapters/pglite-store.js';
import { openPostgresDriver, postgresAddress } from '../../lib/adapters/postgres-store.js';
import type { SqlDriver } from '../../lib/adapters/sql/driver.js';
import { SqlStore } from '../../lib/adapters/sql/sql-store.js';

/** A migrated in-memory PGlite store and its SQL driver (the pgvector adapter runs on the driver). */
export async function freshPgliteDriver(): Promise<{ driver: SqlDriver; store: SqlStore }> {
  const template = new Blob([await readFile(inject('pgliteTemplate'))]);
  const driver = await openPgliteDriver({ loadDataDir: template });
  return { driver, store: await SqlStore.open(driver) };
}

/** A migrated store and driver on a new database of the server at `serverUrl`; `drop` removes it. */
export async function freshPostgresDriver(serverUrl: string): Promise<{ driver: SqlDriver; store: SqlStore; address: string; drop(): Promise<void> }> {
  const name = `trading_ai_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const driver = await openPostgresDriver(u.toString(), 4);
  const store = await SqlStore.open(driver);
  return {
    driver,
    store,
    address: postgresAddress(u.toString()),
    drop: async () => {
      await store.close();
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Whether the server at `url` can `create extension vector`. */
export async function pgvectorAvailable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`select 1 from pg_available_extensions where name = 'vector'`)).rows.length > 0;
  } finally {
    await c.end();
  }
}
