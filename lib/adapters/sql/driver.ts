/**
 * The little a store needs from a SQL engine. PGlite and `pg` differ only here: how a query is sent,
 * how a transaction is held, and how COPY streams rows in.
 */
export interface SqlQueryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface SqlTransaction extends SqlQueryable {
  /** Streams COPY text-format rows (tab-separated, `\N` for null) into `table (columns)`. */
  copyFrom(table: string, columns: readonly string[], chunks: AsyncIterable<Uint8Array>): Promise<void>;
}

export interface SqlDriver extends SqlQueryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs several statements (migrations). */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Serialises migrations across processes that share one database. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
