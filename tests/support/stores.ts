import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPgliteStore } from '../../lib/adapters/pglite-store.js';
import { openPostgresStore } from '../../lib/adapters/postgres-store.js';
import type { Store } from '../../lib/ports/store.js';

/** An in-memory PGlite store loaded from the migrated template built in global setup. */
export async function freshPgliteStore(): Promise<Store> {
  const template = new Blob([await readFile(inject('pgliteTemplate'))]);
  return openPgliteStore({ loadDataDir: template });
}

/**
 * A Postgres store on a new, empty database on the server DATABASE_URL points to; dropped by the
 * returned cleanup. Each test file gets its own database so runs never see each other's rows.
 */
export async function freshPostgresStore(serverUrl: string): Promise<{ store: Store; url: string; drop: () => Promise<void> }> {
  const name = `trading_ai_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const store = await openPostgresStore(u.toString(), 4);
  return {
    store,
    url: u.toString(),
    drop: async () => {
      await store.close();
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
