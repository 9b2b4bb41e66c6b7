import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDriver } from './pglite-store.js';
import { readTemplate, templateFile, writeTemplate } from './pglite-template.js';
import { migrate } from './sql/migrate.js';

describe('the install-time embedded database template', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'template-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is absent until made, and named after the migrations it holds', async () => {
    expect(await readTemplate(dir)).toBeUndefined();
    expect(path.basename(await templateFile(dir))).toMatch(/^pglite-[0-9a-f]{16}\.tar\.gz$/);
  });

  it('starts a new data directory fully migrated, with nothing left to apply', async () => {
    await writeTemplate(dir);
    const template = await readTemplate(dir);
    expect(template).toBeDefined();
    const driver = await openPgliteDriver({ dataDir: path.join(dir, 'data'), loadDataDir: template! });
    try {
      expect(await migrate(driver)).toEqual([]);
      expect(await driver.query("select count(*)::int as n from information_schema.tables where table_name in ('trades', 'trade_rollups', 'chunks')")).toEqual([{ n: 3 }]);
    } finally {
      await driver.close();
    }
  }, 60_000);
});
