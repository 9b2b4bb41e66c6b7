import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobs } from '../adapters/fs-blobs.js';
import type { IngestUnit } from '../domain/ingest/plan.js';
import { loadOutcome, storeOutcome } from './parse-outcome.js';
import { parseUnit } from './parse-stage.js';

describe('the parse stage', () => {
  let dir: string;
  let blobs: FsBlobs;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'parse-stage-'));
    blobs = await FsBlobs.open(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stages each unit in a blob of its own, even when two units read the same bytes', async () => {
    const stored = await blobs.put(await readFile(new URL('../../tests/fixtures/formats/ohlc-backtrader.csv', import.meta.url)));
    const file = { ...stored, name: 'b.csv', path: 'b.csv', group: 'upload', format: 'ohlc-csv' as const };
    const unit = (id: string): IngestUnit => ({ kind: 'bars', id, name: 'b.csv', file });
    const a = await parseUnit(blobs, unit('bars_a'), { onRejects: 'fail', symbol: 'EURUSD' }, { maxLineBytes: 65_536 });
    const b = await parseUnit(blobs, unit('bars_b'), { onRejects: 'fail', symbol: 'GBPUSD' }, { maxLineBytes: 65_536 });
    expect(a.staged!.rows).toBe(b.staged!.rows);
    expect(a.staged!.sha256).not.toBe(b.staged!.sha256);
    // Loading one (and deleting its staged blob) must not take the other's away.
    await blobs.delete(a.staged!.sha256);
    expect(await blobs.has(b.staged!.sha256)).toBe(true);
  });

  it('hands its outcome to validate through the blob store, and refuses a blob that is not one', async () => {
    const stored = await blobs.put(await readFile(new URL('../../tests/fixtures/formats/ohlc-backtrader.csv', import.meta.url)));
    const file = { ...stored, name: 'b.csv', path: 'b.csv', group: 'upload', format: 'ohlc-csv' as const };
    const outcome = await parseUnit(blobs, { kind: 'bars', id: 'bars_c', name: 'b.csv', file }, { onRejects: 'fail', symbol: 'EURUSD' }, { maxLineBytes: 65_536 });
    expect(await loadOutcome(blobs, await storeOutcome(blobs, outcome))).toEqual(outcome);
    const other = await blobs.put(Buffer.from('{"rows": 3}'));
    await expect(loadOutcome(blobs, other.sha256)).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('is not a parse outcome') });
  });
});
