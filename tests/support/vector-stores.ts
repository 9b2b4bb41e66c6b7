import pg from 'pg';

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
