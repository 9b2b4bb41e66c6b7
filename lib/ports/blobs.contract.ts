import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Blobs } from './blobs.js';

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

export function blobsContract(name: string, open: () => Promise<{ blobs: Blobs; dispose: () => Promise<void> }>): void {
  describe(name, () => {
    let blobs: Blobs;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ blobs, dispose } = await open());
    });
    afterAll(async () => dispose?.());

    it('stores streamed bytes under their SHA-256 and reads them back', async () => {
      const data = Buffer.from('a,b\n1,2\n'.repeat(1000));
      async function* chunks() {
        for (let i = 0; i < data.length; i += 333) yield data.subarray(i, i + 333);
      }
      const stored = await blobs.put(chunks());
      expect(stored).toEqual({ sha256: createHash('sha256').update(data).digest('hex'), size: data.length });
      expect(await readAll(blobs.get(stored.sha256))).toEqual(data);
      expect(Buffer.from(await blobs.head(stored.sha256, 4)).toString()).toBe('a,b\n');
      expect((await readAll(blobs.get(stored.sha256, { start: 4, end: 8 }))).toString()).toBe('1,2\n');
      expect(await blobs.size(stored.sha256)).toBe(data.length);
    });

    it('stores identical bytes once', async () => {
      const a = await blobs.put(Buffer.from('same'));
      const b = await blobs.put(Buffer.from('same'));
      expect(a).toEqual(b);
      expect(await blobs.has(a.sha256)).toBe(true);
    });

    it('refuses bytes beyond the limit and keeps nothing of them', async () => {
      await expect(blobs.put(Buffer.from('0123456789'), { limitBytes: 5 })).rejects.toMatchObject({ code: 'payload_too_large' });
      const sha = createHash('sha256').update('0123456789').digest('hex');
      expect(await blobs.has(sha)).toBe(false);
    });

    it('reports a missing blob as not found', async () => {
      const missing = 'f'.repeat(64);
      expect(await blobs.has(missing)).toBe(false);
      await expect(blobs.head(missing, 10)).rejects.toMatchObject({ code: 'not_found' });
      await expect(readAll(blobs.get(missing))).rejects.toMatchObject({ code: 'not_found' });
    });

    it('refuses a name that is not a content hash, so no path can escape the store', async () => {
      expect(() => blobs.get('../../etc/passwd')).toThrow(/not a SHA-256/);
    });

    it('deletes', async () => {
      const a = await blobs.put(Buffer.from('to delete'));
      await blobs.delete(a.sha256);
      expect(await blobs.has(a.sha256)).toBe(false);
    });
  });
}
