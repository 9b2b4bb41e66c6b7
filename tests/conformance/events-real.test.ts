import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IssueLog } from '../../lib/domain/issues.js';
import { TradeSchema } from '../../lib/domain/trade.js';
import { readEventsJson } from '../../lib/formats/events-json.js';

// The real file lives in the workplace's shared folder beside the repository, not in the project.
const realFile = new URL('../../../shared/data/real/ctrader-events-698-positions.json', import.meta.url);
const exists = existsSync(realFile);

describe.skipIf(!exists)('real cTrader events.json (skipped when ../shared/data/real is absent)', () => {
  it('rebuilds the 698 positions, with the balances, starting balance and stop history the file states', async () => {
    const file = fileURLToPath(realFile);
    const issues = new IssueLog();
    const reader = readEventsJson(createReadStream(file), { file, maxLineBytes: 64 * 1024, issues, symbol: 'US500' });
    let trades = 0;
    let netCents = 0;
    let stops = 0;
    const reasons: Record<string, number> = {};
    for await (const batch of reader.batches()) {
      for (const t of batch) {
        expect(TradeSchema.safeParse(t).success).toBe(true);
        trades++;
        netCents += Math.round(t.net * 100);
        stops += t.stops?.length ?? 0;
        reasons[t.closeReason] = (reasons[t.closeReason] ?? 0) + 1;
      }
    }
    expect(trades).toBe(698);
    expect(netCents).toBe(3_440_936);
    expect(reader.context.startingBalance).toBe(420);
    expect(reader.context.declaredTotals?.endingBalance).toBe(34829.36);
    expect(stops).toBe(2348);
    expect(reasons).toEqual({ stop_loss: 687, signal: 11 });
    expect(issues.total).toBe(0);
  });
});
