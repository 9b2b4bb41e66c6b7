import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDataDir, lockHolder, updateLockUrl } from './data-dir-lock.js';

describe('the data directory lock', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lock-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is held by one process at a time, says by whom, and leaves no draft files', async () => {
    const lock = await lockDataDir(dir, null);
    await updateLockUrl(dir, 'http://127.0.0.1:8080');
    expect(await lockHolder(dir)).toMatchObject({ pid: process.pid, url: 'http://127.0.0.1:8080' });
    await expect(lockDataDir(dir, null)).rejects.toThrow(new RegExp(`in use by process ${process.pid} serving http://127.0.0.1:8080`));
    expect(await readdir(dir)).toEqual(['owner.lock']);
    await lock.release();
    const again = await lockDataDir(dir, null);
    await again.release();
  });

  it('takes over a lock whose process is gone', async () => {
    await writeFile(path.join(dir, 'owner.lock'), JSON.stringify({ pid: 2 ** 22 + 7, url: null, since: '2026-01-01T00:00:00Z' }));
    const lock = await lockDataDir(dir, null);
    expect((await lockHolder(dir))!.pid).toBe(process.pid);
    await lock.release();
  });
});
