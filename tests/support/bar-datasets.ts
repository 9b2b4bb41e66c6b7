import { createHash } from 'node:crypto';
import { syntheticBars } from '../../lib/domain/backtest/index.js';
import type { BarColumns } from '../../lib/formats/types.js';
import type { BarDatasetRecord, Store } from '../../lib/ports/store.js';

/** Stores bars as a dataset (with the upload row it refers to), as ingest would; returns its record. */
export async function seedBarDataset(store: Store, bars: BarColumns, options: { id?: string; name?: string; symbol?: string | null } = {}): Promise<BarDatasetRecord> {
  const hash = createHash('sha256');
  for (const column of [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume]) hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  const sha256 = hash.digest('hex');
  const name = options.name ?? 'bars.csv';
  await store.putUpload({ sha256, name, sizeBytes: bars.length * 48 });
  const record: BarDatasetRecord = {
    id: options.id ?? `bars_${sha256.slice(0, 24)}`,
    sha256,
    name,
    symbol: options.symbol === undefined ? 'EURUSD' : options.symbol,
    timeframe: 'h1',
    layout: 'generic',
    barCount: bars.length,
    firstTime: bars.length ? bars.time[0]! : null,
    lastTime: bars.length ? bars.time[bars.length - 1]! : null,
  };
  async function* one() {
    yield bars;
  }
  await store.saveBarDataset(record, one());
  return record;
}

/** Hourly random-walk bars with a EURUSD-like price. */
export const hourlyBars = (length: number, seed = 3) => syntheticBars(length, { seed, stepMs: 3_600_000, volatility: 0.001 });
