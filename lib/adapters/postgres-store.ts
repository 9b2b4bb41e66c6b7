import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SqlDriver, SqlTransaction } from './sql/driver.js';
import { SqlStore } from './sql/sql-store.js';

const MIGRATION_LOCK_KEY = 727_461_001;

class PostgresDriver implements SqlDriver {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection whose rollback failed may still hold the transaction: the pool must drop it, not reuse it.
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const result = await fn(wrapClient(client));
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      return await fn();
    } finally {
      // If the unlock fails, closing the connection is what releases the session lock.
      const unlockError = await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).then(
        () => undefined,
        (err: Error) => err,
      );
      client.release(unlockError);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function wrapClient(client: pg.PoolClient): SqlTransaction {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async copyFrom(table, columns, chunks) {
      const sink = client.query(copyFromStdin(`copy ${table} (${columns.join(', ')}) from stdin`));
      await pipeline(Readable.from(chunks, { objectMode: false }), sink);
    },
  };
}

/** Connects and checks the server answers, so a wrong DATABASE_URL fails at start with a clear message. */
export async function openPostgresDriver(url: string, poolSize = 10): Promise<SqlDriver> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client's network error would otherwise crash the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    const where = postgresAddress(url);
    throw new Error(`cannot reach Postgres at ${where} (DATABASE_URL): ${(err as Error).message}`, { cause: err });
  }
  return new PostgresDriver(pool);
}

export async function openPostgresStore(url: string, poolSize?: number): Promise<SqlStore> {
  return SqlStore.open(await openPostgresDriver(url, poolSize));
}

/** `host:port/database` of a Postgres URL, without the credentials, for messages. */
export function postgresAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'an unparseable URL';
  }
}
