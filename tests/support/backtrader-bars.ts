import { readFileSync } from 'node:fs';
import type { BarColumns } from '../../lib/formats/types.js';

/**
 * Reads backtrader's sample data layout (`Date,Open,High,Low,Close,Volume,OpenInterest`, daily dates
 * as YYYY-MM-DD, taken as UTC midnight). Just enough for the conformance tests; the platform's OHLC
 * reader lives in lib/formats.
 */
export function readBacktraderBars(url: URL): BarColumns {
  const [header, ...rows] = readFileSync(url, 'utf8').trim().split(/\r?\n/);
  if (header !== 'Date,Open,High,Low,Close,Volume,OpenInterest') throw new Error(`${url.pathname}: unexpected header ${header}`);
  const cells = rows.map((row) => row.split(','));
  const column = (index: number): Float64Array => Float64Array.from(cells, (cell) => Number(cell[index]));
  return {
    length: rows.length,
    time: Float64Array.from(cells, (cell) => Date.parse(`${cell[0]}T00:00:00Z`)),
    open: column(1),
    high: column(2),
    low: column(3),
    close: column(4),
    volume: column(5),
  };
}
