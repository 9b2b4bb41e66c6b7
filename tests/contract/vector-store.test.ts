import { describe, expect, it } from 'vitest';
import { ChromaVectorStore } from '../../lib/adapters/chroma-vector-store.js';
import { PgvectorStore } from '../../lib/adapters/pgvector-store.js';
import { vectorStoreContract } from '../../lib/ports/vector-store.contract.js';
import { freshPgliteDriver, freshPostgresDriver } from '../support/stores.js';
import { pgvectorAvailable } from '../support/vector-stores.js';

const DIM = 16;

vectorStoreContract('pgvector on PGlite', async () => {
  const { driver, store } = await freshPgliteDriver();
  return { store: await PgvectorStore.open(driver, DIM), dimension: DIM, dispose: () => store.close() };
});

const serverUrl = process.env.DATABASE_URL;
const hasVector = serverUrl ? await pgvectorAvailable(serverUrl) : false;
if (serverUrl && hasVector) {
  vectorStoreContract('pgvector on Postgres', async () => {
    const { driver, drop, address } = await freshPostgresDriver(serverUrl);
    return { store: await PgvectorStore.open(driver, DIM, { address }), dimension: DIM, dispose: drop };
  });
} else {
  describe.skip(
    serverUrl
      ? 'pgvector on Postgres (skipped: the server at DATABASE_URL has no vector extension to create)'
      : 'pgvector on Postgres (skipped: set DATABASE_URL to run against a real server)',
    () => {},
  );
}

if (serverUrl && !hasVector) {
  describe('pgvector on a Postgres without the extension', () => {
    it('refuses to open, naming DATABASE_URL, the server and the two ways out; the chunks table is there anyway', async () => {
      const { driver, store, address, drop } = await freshPostgresDriver(serverUrl);
      try {
        await expect(PgvectorStore.open(driver, DIM, { address })).rejects.toThrow(
          `pgvector is not installed on the Postgres at DATABASE_URL (${address}): install the extension (the cluster image ships it) or set CHROMA_URL`,
        );
        expect(await store.query(`select count(*)::int as n from chunks`)).toEqual([{ n: 0 }]);
      } finally {
        await drop();
      }
    });
  });
}

const chromaUrl = process.env.CHROMA_URL;
if (chromaUrl) {
  vectorStoreContract('Chroma', async () => {
    const prefix = `contract_${Math.random().toString(36).slice(2, 8)}_`;
    const store = await ChromaVectorStore.open(chromaUrl, DIM, { collectionPrefix: prefix });
    return { store, dimension: DIM, dispose: () => store.dropCollections().then(() => store.close()) };
  });
} else {
  describe.skip('Chroma (skipped: set CHROMA_URL to run against a real server)', () => {});
}
