import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobs } from '../adapters/fs-blobs.js';
import { checkPath, expandZip } from './zip.js';

const fixture = (name: string) => readFile(new URL(`../../tests/fixtures/zip/${name}`, import.meta.url));
const limits = { maxUnzippedBytes: 1024 ** 3, maxRatio: 200, maxEntries: 1000 };

describe('zip expansion', () => {
  let dir: string;
  let blobs: FsBlobs;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zip-'));
    blobs = await FsBlobs.open(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const store = async (name: string) => ({ ...(await blobs.put(await fixture(name))), name });

  it('stores each file of a folder archive, skipping junk and folders and saying why nested archives are skipped', async () => {
    const { entries, skipped } = await expandZip(blobs, await store('folder.zip'), limits);
    expect(entries.map((e) => e.path).sort()).toEqual(['Backtesting/a.txt', 'Backtesting/sub/b.txt']);
    const a = entries.find((e) => e.path === 'Backtesting/a.txt')!;
    expect(Buffer.from(await blobs.head(a.sha256, 100)).toString()).toBe('hello a\n');
    expect(skipped).toEqual([{ path: 'Backtesting/inner.zip', reason: expect.stringContaining('nested') }]);
  });

  it('refuses a zip bomb by its compression ratio before inflating it', async () => {
    await expect(expandZip(blobs, await store('bomb.zip'), limits)).rejects.toMatchObject({
      code: 'zip_bomb',
      details: { file: 'bomb.zip', field: 'big.csv' },
    });
  });

  it('refuses an archive that unpacks beyond the total limit', async () => {
    await expect(expandZip(blobs, await store('bomb.zip'), { ...limits, maxRatio: 1e9, maxUnzippedBytes: 1024 ** 2 })).rejects.toMatchObject({
      code: 'zip_bomb',
      message: expect.stringContaining('unpack'),
    });
  });

  it('refuses an archive with too many entries', async () => {
    await expect(expandZip(blobs, await store('many.zip'), { ...limits, maxEntries: 10 })).rejects.toMatchObject({ code: 'zip_bomb' });
  });

  it('refuses an entry whose path escapes the archive', async () => {
    await expect(expandZip(blobs, await store('escape.zip'), limits)).rejects.toMatchObject({ code: 'zip_path_escape', details: { file: 'escape.zip' } });
  });

  it('says a damaged archive is not a readable zip', async () => {
    await expect(expandZip(blobs, await store('not-a-zip.zip'), limits)).rejects.toMatchObject({ code: 'zip_invalid' });
  });

  it.each(['/etc/passwd', 'C:/x.csv', 'a\\..\\b.csv', 'a/../../b.csv'])('treats %s as a path escape', (p) => {
    expect(() => checkPath(p, 'x.zip')).toThrow(/leaves the archive/);
  });
});
