import { describe, expect, it } from 'vitest';
import { tradesToColumns } from '../trade-columns.js';
import type { SourcedTrade } from '../trade.js';
import { RollupAccumulator } from './rollups.js';

const t = (entry: number | null, exit: number, net: number, over: Partial<SourcedTrade> = {}): SourcedTrade => ({
  file: 'f', line: 1, sourceId: String(exit), symbol: 'X', direction: 'buy', quantity: 1, volume: 1, entryTime: entry, exitTime: exit,
  entryPrice: 1, exitPrice: 1, gross: null, commission: -0.1, swap: null, net, pips: null, balanceAfter: null, label: null,
  closeReason: 'unknown', stops: null, metadata: {}, ...over,
});

describe('trade rollups', () => {
  it('sums trades per UTC day and hour of entry (exit when the entry is unknown), keeping money exact', () => {
    const acc = new RollupAccumulator();
    const d1 = Date.UTC(2025, 0, 1, 23, 30);
    const d2 = Date.UTC(2025, 0, 2, 0, 15);
    acc.add(tradesToColumns([t(d1, d2, 0.1), t(d1, d2, 0.2), t(null, d2, -0.3, { commission: null }), t(d1, d2, 5)], 'f'), Uint8Array.of(1, 1, 1, 0));
    const cells = acc.finish();
    expect(cells.map((c) => [c.grain, c.key, c.n])).toEqual([
      ['day', '2025-01-01', 2],
      ['day', '2025-01-02', 1],
      ['hour', '00', 1],
      ['hour', '23', 2],
    ]);
    expect(cells[0]).toMatchObject({ net: 0.3, wins: 2, losses: 0, grossProfit: 0.3, grossLoss: 0, largestWin: 0.2, largestLoss: null, commission: -0.2, commissionKnown: 2, swap: null, swapKnown: 0 });
    expect(cells[1]).toMatchObject({ net: -0.3, losses: 1, largestLoss: -0.3, commission: null, commissionKnown: 0 });
    expect(cells[0]!.sumSqNet).toBeCloseTo(0.05, 12);
  });
});
