import { describe } from 'vitest';
import { storeContract } from '../../lib/ports/store.contract.js';
import { freshPgliteStore, freshPostgresStore } from '../support/stores.js';

storeContract('PGlite store', async () => {
  const store = await freshPgliteStore();
  return { store, dispose: () => store.close() };
});

const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  storeContract('Postgres store', async () => {
    const { store, drop } = await freshPostgresStore(serverUrl);
    return { store, dispose: drop };
  });
} else {
  describe.skip('Postgres store (skipped: set DATABASE_URL to run against a real server)', () => {});
}
