import { describe, expect, it } from 'vitest';
import { decodeBarFrames, encodeBarFrame, encodeBarLabel } from './bar-frames.js';

const bars = (n: number, offset: number) => {
  const f = (k: number) => Float64Array.from({ length: n }, (_, i) => offset + i + k);
  return { length: n, time: f(0), open: f(0.1), high: f(0.5), low: f(0), close: f(0.2), volume: f(9) };
};

describe('staged bar frames', () => {
  it('round-trips batches across any chunking', async () => {
    const a = encodeBarFrame(bars(3, 0));
    const b = encodeBarFrame(bars(2, 100));
    const all = new Uint8Array([...encodeBarLabel('stage of bars_1'), ...a, ...b]);
    for (const size of [1, 5, 64, all.length]) {
      async function* chunks() {
        for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
      }
      const out = [];
      for await (const batch of decodeBarFrames(chunks())) out.push(Array.from(batch.close));
      expect(out).toEqual([[0.2, 1.2, 2.2], [100.2, 101.2]]);
    }
  });
});
