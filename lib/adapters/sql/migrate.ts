import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SqlDriver } from './driver.js';

/** The migrations folder is the schema for both PGlite and Postgres. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: string;
  sql: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => /^\d{4}_[a-z0-9_]+\.sql$/.test(n)).sort();
  return Promise.all(names.map(async (n) => ({ version: n.replace(/\.sql$/, ''), sql: await readFile(dir + n, 'utf8') })));
}

/** Applies, in order and each in its own transaction, the migrations not yet recorded. Returns those applied. */
export async function migrate(driver: SqlDriver, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  return driver.withMigrationLock(async () => {
    await driver.exec(
      'create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set((await driver.query<{ version: string }>('select version from schema_migrations')).map((r) => r.version));
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      await driver.transaction(async (tx) => {
        // A multi-statement file goes through query one statement at a time on pg; exec keeps it simple.
        for (const statement of splitStatements(m.sql)) await tx.query(statement);
        await tx.query('insert into schema_migrations (version) values ($1)', [m.version]);
      });
      applied.push(m.version);
    }
    return applied;
  });
}

/** Splits on semicolons that end a line; our migrations keep to that (no functions with bodies). */
export function splitStatements(sql: string): string[] {
  return sql
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
