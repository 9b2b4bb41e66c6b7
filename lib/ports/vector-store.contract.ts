import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chunk, ChunkKind, VectorStore } from './vector-store.js';

export interface OpenedVectorStore {
  store: VectorStore;
  /** The dimension the store was opened with. */
  dimension: number;
  dispose(): Promise<void>;
}

/** A deterministic pseudo-random generator, so every adapter sees the same vectors. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function unit(values: number[]): Float32Array {
  const n = Math.hypot(...values);
  return Float32Array.from(values.map((v) => v / n));
}

/** A unit vector at `angle` radians from axis 0 towards axis 1: its cosine with axis 0 is cos(angle). */
const atAngle = (dim: number, angle: number) => unit(Array.from({ length: dim }, (_, i) => (i === 0 ? Math.cos(angle) : i === 1 ? Math.sin(angle) : 0)));

function chunk(backtestId: string, id: string, over: Partial<Chunk> = {}): Chunk {
  return {
    id,
    backtestId,
    kind: 'trade',
    text: `text of ${id}`,
    from: '2025-03-04T14:05:00.000Z',
    to: '2025-03-04T15:20:00.000Z',
    symbol: 'EURUSD',
    tradeIds: [id.replace(/^\w+:/, '')],
    metadata: { net: -15, note: 'é' },
    ...over,
  };
}

/**
 * Cases every VectorStore passes. Backtest ids are unique per run, so a shared server is fine; each
 * case cleans up what it wrote.
 */
export function vectorStoreContract(name: string, open: () => Promise<OpenedVectorStore>): void {
  describe(name, () => {
    let vs: VectorStore;
    let dim: number;
    let dispose: () => Promise<void>;
    const run = Math.random().toString(36).slice(2, 8);
    const bt = (s: string) => `contract-${run}-${s}`;
    const M = 'test-model-a';
    beforeAll(async () => {
      ({ store: vs, dimension: dim, dispose } = await open());
    });
    afterAll(async () => {
      await dispose?.();
    });

    it('stores chunks with their vectors and gives back every field', async () => {
      const b = bt('fields');
      const c = chunk(b, 'trade:1', { tradeIds: ['1', 'x,"y"'], metadata: { net: -15.5, nested: { ok: true } } });
      await vs.upsert([c], [atAngle(dim, 0)], M);
      const [hit] = await vs.search(atAngle(dim, 0), { backtestId: b }, 5, M);
      expect(hit).toMatchObject({ ...c });
      expect(hit!.score).toBeCloseTo(1, 4);
      expect(await vs.count(b)).toBe(1);
      await vs.deleteBacktest(b);
    });

    it('upserts by id: writing the same ids again replaces them and adds nothing', async () => {
      const b = bt('idem');
      const chunks = [chunk(b, 'trade:1'), chunk(b, 'daily:2025-03-04', { kind: 'daily', symbol: null })];
      await vs.upsert(chunks, [atAngle(dim, 0), atAngle(dim, 1)], M);
      await vs.upsert(chunks, [atAngle(dim, 0), atAngle(dim, 1)], M);
      expect(await vs.count(b)).toBe(2);
      await vs.upsert([{ ...chunks[0]!, text: 'rewritten' }], [atAngle(dim, 0.5)], M);
      expect(await vs.count(b)).toBe(2);
      const hits = await vs.search(atAngle(dim, 0.5), { backtestId: b }, 10, M);
      expect(hits.map((h) => h.id)).toEqual(['trade:1', 'daily:2025-03-04']);
      expect(hits[0]).toMatchObject({ text: 'rewritten' });
      expect(hits[0]!.score).toBeCloseTo(1, 4);
      await vs.deleteBacktest(b);
    });

    it('orders hits by cosine similarity, closest first, and returns at most k', async () => {
      const b = bt('order');
      const angles = [0.9, 0.1, 1.4, 0.5, 0.3, 2.5];
      await vs.upsert(
        angles.map((_, i) => chunk(b, `trade:${i}`)),
        angles.map((a) => atAngle(dim, a)),
        M,
      );
      const hits = await vs.search(atAngle(dim, 0), { backtestId: b }, 4, M);
      expect(hits.map((h) => h.id)).toEqual(['trade:1', 'trade:4', 'trade:3', 'trade:0']);
      for (const h of hits) expect(h.score).toBeCloseTo(Math.cos(angles[Number(h.id.split(':')[1])]!), 4);
      await vs.deleteBacktest(b);
    });

    it('never returns another backtest’s chunks, even when they are closer', async () => {
      const [a, b] = [bt('mine'), bt('theirs')];
      await vs.upsert([chunk(a, 'trade:1')], [atAngle(dim, 1)], M);
      await vs.upsert([chunk(b, 'trade:1'), chunk(b, 'trade:2')], [atAngle(dim, 0), atAngle(dim, 0.01)], M);
      const hits = await vs.search(atAngle(dim, 0), { backtestId: a }, 10, M);
      expect(hits.map((h) => [h.backtestId, h.id])).toEqual([[a, 'trade:1']]);
      await vs.deleteBacktest(a);
      await vs.deleteBacktest(b);
    });

    it('keeps to the kinds and the symbol asked for', async () => {
      const b = bt('filters');
      const spec: [string, ChunkKind, string | null][] = [
        ['trade:1', 'trade', 'EURUSD'],
        ['trade:2', 'trade', 'US30'],
        ['daily:2025-03-04', 'daily', null],
        ['weekly:2025-W10', 'weekly', null],
        ['pattern:losing-streak:1', 'pattern', 'US30'],
      ];
      await vs.upsert(
        spec.map(([id, kind, symbol]) => chunk(b, id, { kind, symbol })),
        spec.map((_, i) => atAngle(dim, i * 0.2)),
        M,
      );
      const ids = async (filter: { kinds?: ChunkKind[]; symbol?: string }) =>
        (await vs.search(atAngle(dim, 0), { backtestId: b, ...filter }, 10, M)).map((h) => h.id);
      expect(await ids({ kinds: ['daily', 'weekly'] })).toEqual(['daily:2025-03-04', 'weekly:2025-W10']);
      expect(await ids({ symbol: 'US30' })).toEqual(['trade:2', 'pattern:losing-streak:1']);
      expect(await ids({ kinds: ['pattern'], symbol: 'US30' })).toEqual(['pattern:losing-streak:1']);
      expect(await ids({ kinds: ['trade'], symbol: 'GBPUSD' })).toEqual([]);
      await vs.deleteBacktest(b);
    });

    it('keeps models apart: a search and storedIds see only the model asked for', async () => {
      const b = bt('models');
      await vs.upsert([chunk(b, 'trade:1'), chunk(b, 'trade:2')], [atAngle(dim, 0), atAngle(dim, 1)], M);
      await vs.upsert([chunk(b, 'trade:1')], [atAngle(dim, 0.2)], 'test-model-b');
      expect([...(await vs.storedIds(b, M))].sort()).toEqual(['trade:1', 'trade:2']);
      expect([...(await vs.storedIds(b, 'test-model-b'))]).toEqual(['trade:1']);
      expect([...(await vs.storedIds(b, 'test-model-c'))]).toEqual([]);
      expect((await vs.search(atAngle(dim, 0), { backtestId: b }, 10, 'test-model-b')).map((h) => h.score.toFixed(3))).toEqual([
        Math.cos(0.2).toFixed(3),
      ]);
      await vs.deleteBacktest(b);
    });

    it('deletes one backtest’s chunks and leaves the others', async () => {
      const [a, b] = [bt('del-a'), bt('del-b')];
      await vs.upsert([chunk(a, 'trade:1'), chunk(a, 'trade:2')], [atAngle(dim, 0), atAngle(dim, 1)], M);
      await vs.upsert([chunk(b, 'trade:1')], [atAngle(dim, 0)], M);
      await vs.deleteBacktest(a);
      expect(await vs.count(a)).toBe(0);
      expect(await vs.storedIds(a, M)).toEqual(new Set());
      expect(await vs.search(atAngle(dim, 0), { backtestId: a }, 10, M)).toEqual([]);
      expect(await vs.count(b)).toBe(1);
      await vs.deleteBacktest(b);
    });

    it('refuses vectors of another dimension, saying which', async () => {
      const b = bt('dim');
      const wrong = new Float32Array(dim + 1).fill(1 / Math.sqrt(dim + 1));
      await expect(vs.upsert([chunk(b, 'trade:1')], [wrong], M)).rejects.toThrow(new RegExp(`${dim + 1} dimensions.*${dim}`));
      await expect(vs.search(wrong, { backtestId: b }, 5, M)).rejects.toThrow(new RegExp(`${dim + 1} dimensions.*${dim}`));
      await expect(vs.upsert([chunk(b, 'trade:1')], [], M)).rejects.toThrow(/1 chunk\(s\) but 0 embedding\(s\)/);
      expect(await vs.count(b)).toBe(0);
    });

    it('finds the true neighbours and fills k under a rare filter in a large backtest (index path)', async () => {
      const b = bt('large');
      const other = bt('large-other');
      const rnd = lcg(42);
      const n = 2_400;
      const vectors = Array.from({ length: n }, () => unit(Array.from({ length: dim }, rnd)));
      const chunks = vectors.map((_, i) => chunk(b, i % 400 === 7 ? `daily:${i}` : `trade:${i}`, { kind: i % 400 === 7 ? 'daily' : 'trade', symbol: i % 2 ? 'EURUSD' : 'US30' }));
      for (let i = 0; i < n; i += 600) await vs.upsert(chunks.slice(i, i + 600), vectors.slice(i, i + 600), M);
      // Another backtest's copies of the same vectors must never show up.
      await vs.upsert(chunks.slice(0, 600).map((c) => ({ ...c, backtestId: other })), vectors.slice(0, 600), M);
      expect(await vs.count(b)).toBe(n);
      for (const probe of [3, 1_234, 2_399]) {
        const [top] = await vs.search(vectors[probe]!, { backtestId: b }, 10, M);
        expect(top).toMatchObject({ id: chunks[probe]!.id, backtestId: b });
        expect(top!.score).toBeCloseTo(1, 3);
      }
      const exact = (q: Float32Array) =>
        vectors
          .map((v, i) => ({ id: chunks[i]!.id, cos: v.reduce((s, x, j) => s + x * q[j]!, 0) }))
          .sort((x, y) => y.cos - x.cos)
          .slice(0, 10)
          .map((x) => x.id);
      const q = unit(Array.from({ length: dim }, rnd));
      const hits = await vs.search(q, { backtestId: b }, 10, M);
      expect(hits).toHaveLength(10);
      const overlap = hits.filter((h) => exact(q).includes(h.id)).length;
      expect(overlap).toBeGreaterThanOrEqual(8);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score + 1e-6);
      const daily = await vs.search(q, { backtestId: b, kinds: ['daily'] }, 10, M);
      expect(daily.map((h) => h.id).sort()).toEqual(['daily:1207', 'daily:1607', 'daily:2007', 'daily:407', 'daily:7', 'daily:807']);
      const us30 = await vs.search(q, { backtestId: b, symbol: 'US30' }, 10, M);
      expect(us30).toHaveLength(10);
      expect(us30.every((h) => h.symbol === 'US30' && h.backtestId === b)).toBe(true);
      await vs.deleteBacktest(b);
      await vs.deleteBacktest(other);
    });
  });
}
