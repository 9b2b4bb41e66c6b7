import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeChroma, type FakeChroma } from '../../tests/support/fake-chroma.js';
import { vectorStoreContract } from '../ports/vector-store.contract.js';
import { ChromaVectorStore } from './chroma-vector-store.js';

/**
 * Our Chroma adapter through the real `chromadb` client, against a fake server in this process:
 * collections, ids, metadata, filters and merging are ours to get right. The real server runs the
 * same contract in tests/contract when CHROMA_URL is set.
 */
let fake: FakeChroma;
beforeAll(async () => {
  fake = await startFakeChroma();
});
afterAll(async () => {
  await fake?.close();
});

vectorStoreContract('Chroma adapter (against a fake Chroma server)', async () => {
  const store = await ChromaVectorStore.open(fake.url, 16);
  return { store, dimension: 16, dispose: () => store.dropCollections() };
});

describe('Chroma adapter specifics', () => {
  it('keeps trades, summaries and patterns in the three named collections', async () => {
    const store = await ChromaVectorStore.open(fake.url, 4);
    const v = Float32Array.from([1, 0, 0, 0]);
    const chunk = (id: string, kind: 'trade' | 'daily' | 'weekly' | 'pattern') => ({ id, backtestId: 'b', kind, text: id, from: null, to: null, symbol: null, tradeIds: [], metadata: {} });
    fake.requests.length = 0;
    await store.upsert([chunk('trade:1', 'trade'), chunk('daily:d', 'daily'), chunk('weekly:w', 'weekly'), chunk('pattern:p', 'pattern')], [v, v, v, v], 'm');
    expect(fake.requests.filter((r) => r.path.endsWith('/upsert'))).toHaveLength(3);
    const hits = await store.search(v, { backtestId: 'b', kinds: ['daily', 'weekly'] }, 10, 'm');
    expect(hits.map((h) => h.id).sort()).toEqual(['daily:d', 'weekly:w']);
    await store.dropCollections();
  });

  it('refuses collections built for another dimension, naming CHROMA_URL', async () => {
    const first = await ChromaVectorStore.open(fake.url, 8, { collectionPrefix: 'dim_' });
    await expect(ChromaVectorStore.open(fake.url, 16, { collectionPrefix: 'dim_' })).rejects.toThrow(
      `Chroma collection dim_trades_embeddings at ${fake.url} (CHROMA_URL) holds 8-dimension vectors but the embedder gives 16`,
    );
    await first.dropCollections();
  });

  it('names CHROMA_URL when nothing answers there', async () => {
    await expect(ChromaVectorStore.open('http://127.0.0.1:9', 8)).rejects.toThrow(/^Chroma at http:\/\/127\.0\.0\.1:9 \(CHROMA_URL\) failed to reach/);
  });
});
