import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPgliteDriver } from '../../lib/adapters/pglite-store.js';
import { openPostgresDriver, postgresAddress } from '../../lib/adapters/postgres-store.js';
import type { SqlDriver } from '../../lib/adapters/sql/driver.js';
import { SqlStore } from '../../lib/adapters/sql/sql-store.js';
import type { Store } from '../../lib/ports/store.js';

/** A migrated in-memory PGlite store, loaded from the template built in global setup, and its SQL driver (the pgvector adapter runs on the driver). */
export async function freshPgliteDriver(): Promise<{ driver: SqlDriver; store: SqlStore }> {
  const template = new Blob([await readFile(inject('pgliteTemplate'))]);
  const driver = await openPgliteDriver({ loadDataDir: template });
  return { driver, store: await SqlStore.open(driver) };
}

export async function freshPgliteStore(): Promise<Store> {
  return (await freshPgliteDriver()).store;
}

/**
 * A migrated store and driver on a new, empty database of the server at `serverUrl`; `drop` closes
 * the store and removes the database. Each test file gets its own, so runs never see each other's rows.
 */
export async function freshPostgresDriver(serverUrl: string): Promise<{ driver: SqlDriver; store: SqlStore; url: string; address: string; drop(): Promise<void> }> {
  const name = `trading_ai_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const driver = await openPostgresDriver(u.toString(), 4);
  const store = await SqlStore.open(driver);
  return {
    driver,
    store,
    url: u.toString(),
    address: postgresAddress(u.toString()),
    drop: async () => {
      await store.close();
      await onServer(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

export async function freshPostgresStore(serverUrl: string): Promise<{ store: Store; url: string; drop: () => Promise<void> }> {
  const { store, url, drop } = await freshPostgresDriver(serverUrl);
  return { store, url, drop };
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
