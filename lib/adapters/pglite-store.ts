import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { mkdir } from 'node:fs/promises';
import type { SqlDriver, SqlTransaction } from './sql/driver.js';
import { migrate } from './sql/migrate.js';
import { SqlStore } from './sql/sql-store.js';

/** COPY statements are sent in pieces of about this size: PGlite takes COPY input as one Blob. */
const COPY_PIECE_BYTES = 8 * 1024 * 1024;

class PgliteDriver implements SqlDriver {
  readonly kind = 'pglite' as const;
  constructor(private readonly db: PGlite) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => fn(wrapTransaction(tx)));
  }

  // One process owns a PGlite data directory, so there is nobody to race with.
  async withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }

  dumpDataDir(compression: 'none' | 'gzip' = 'none'): Promise<Blob> {
    return this.db.dumpDataDir(compression);
  }
}

function wrapTransaction(tx: Transaction): SqlTransaction {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await tx.query<T>(sql, params)).rows;
    },
    async copyFrom(table, columns, chunks) {
      const statement = `copy ${table} (${columns.join(', ')}) from '/dev/blob'`;
      let piece: Uint8Array[] = [];
      let size = 0;
      const flush = async () => {
        if (size === 0) return;
        await tx.query(statement, [], { blob: new Blob(piece) });
        piece = [];
        size = 0;
      };
      for await (const chunk of chunks) {
        piece.push(chunk);
        size += chunk.byteLength;
        if (size >= COPY_PIECE_BYTES) await flush();
      }
      await flush();
    },
  };
}

export interface PgliteOptions {
  /** A data directory, or undefined for an in-memory database (tests). */
  dataDir?: string;
  /** A dump of an already-initialised data directory: skips initdb, which takes seconds. */
  loadDataDir?: Blob;
}

export async function openPgliteDriver(options: PgliteOptions = {}): Promise<SqlDriver> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // One options object: PGlite 0.4.6's create(undefined, options) drops the options (no vector, no loadDataDir).
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    extensions: { vector },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  return new PgliteDriver(db);
}

/** The embedded store: Postgres compiled to WebAssembly, in a directory, no server needed. */
export async function openPgliteStore(options: PgliteOptions = {}): Promise<SqlStore> {
  return SqlStore.open(await openPgliteDriver(options));
}

/** A migrated, empty database as a data-directory dump, for `loadDataDir` (tests create many stores). */
export async function migratedPgliteTemplate(compression: 'none' | 'gzip' = 'none'): Promise<Blob> {
  const driver = new PgliteDriver(await PGlite.create({ extensions: { vector } }));
  try {
    await migrate(driver);
    return await driver.dumpDataDir(compression);
  } finally {
    await driver.close();
  }
}
