import { describe, expect, it } from 'vitest';
import type { Embedder } from './embedder.js';

const TEXTS = [
  'Trade 101 (EURUSD, sell 0.10 lots): closed by stop loss after 1h 15m. Net -15.00 USD (loss).',
  'Day 2025-03-04 (Tuesday): 12 trades closed, net +120.50 USD, win rate 58.3%.',
  'Losing streak of 4 trades on US30 from 2025-03-05 09:00 UTC to 2025-03-05 16:40 UTC.',
  '',
  'é ü ß — non-ASCII text, punctuation only: !!! ???',
];

const length = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** Cases every Embedder passes. `deterministic` adds the same-vector-every-time cases (local embedder). */
export function embedderContract(name: string, open: () => Promise<Embedder>, options: { deterministic: boolean }): void {
  describe(name, () => {
    it('names its model and gives one vector of its dimension per text, each of length 1', async () => {
      const e = await open();
      expect(e.model).toMatch(/\S/);
      const vs = await e.embed(TEXTS);
      expect(vs).toHaveLength(TEXTS.length);
      for (const v of vs) {
        expect(v).toBeInstanceOf(Float32Array);
        expect(v.length).toBe(e.dimension);
        expect(length(v)).toBeCloseTo(1, 4);
        expect(v.every(Number.isFinite)).toBe(true);
      }
    });

    it('answers an empty batch with no vectors', async () => {
      expect(await (await open()).embed([])).toEqual([]);
    });

    it('keeps batch order: each text gets the vector it gets alone', async () => {
      const e = await open();
      const batch = await e.embed(TEXTS.slice(0, 3));
      for (let i = 0; i < 3; i++) {
        const [alone] = await e.embed([TEXTS[i]!]);
        const cos = batch[i]!.reduce((s, x, j) => s + x * alone![j]!, 0);
        expect(cos).toBeGreaterThan(0.999);
      }
    });

    it('puts a text closer to itself reworded than to an unrelated text', async () => {
      const e = await open();
      const [a, b, c] = await e.embed([
        'Trade 7 on EURUSD closed by stop loss with a loss of 40 USD',
        'EURUSD trade stopped out: stop loss hit, lost 40 USD',
        'Weekly summary: 30 trades, win rate 61%, best day Friday',
      ]);
      const cos = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
      expect(cos(a!, b!)).toBeGreaterThan(cos(a!, c!));
    });

    if (options.deterministic) {
      it('gives the same vector for the same text, in another instance too', async () => {
        const [a] = await (await open()).embed([TEXTS[0]!]);
        const [b] = await (await open()).embed([TEXTS[0]!]);
        expect(Array.from(b!)).toEqual(Array.from(a!));
      });
    }
  });
}
