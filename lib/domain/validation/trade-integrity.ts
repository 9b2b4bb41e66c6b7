import { IssueLog } from '../issues.js';
import type { TradeColumns } from '../trade-columns.js';
import { BalanceChain } from './balance-chain.js';
import { SeenIds } from './seen-ids.js';

export interface IntegrityResult {
  balanceOrder: 'oldest-first' | 'newest-first' | 'unknown';
  balanceMismatches: number;
  /** Starting balance implied by the oldest row's balance minus its net, when the file has balances. */
  impliedStartingBalance: number | null;
}

/**
 * The rules that need more than one field or more than one row: close not before open, unique ids,
 * the running balance, and the parts of net adding up. Runs batch by batch; the only per-row state is
 * a bit per integer id (see SeenIds).
 */
export class TradeIntegrity {
  private readonly seenIds = new SeenIds();
  private readonly balances: BalanceChain;
  private readonly tolerance: number;

  constructor(
    private readonly file: string,
    private readonly issues: IssueLog,
    depositDigits = 2,
  ) {
    this.balances = new BalanceChain(file, depositDigits);
    this.tolerance = 10 ** -depositDigits + 1e-9;
  }

  /** Returns a mask: 1 keeps the row, 0 rejects it (and an issue says why). */
  check(c: TradeColumns): Uint8Array {
    const keep = new Uint8Array(c.length).fill(1);
    for (let i = 0; i < c.length; i++) {
      const line = c.line[i]!;
      const id = c.sourceId[i]!;
      const entry = c.entryTime[i]!;
      const exit = c.exitTime[i]!;
      if (!Number.isNaN(entry) && exit < entry) {
        keep[i] = 0;
        this.issues.add({
          severity: 'reject',
          code: 'close_before_open',
          message: `trade ${id} closes at ${iso(exit)}, before it opens at ${iso(entry)}`,
          file: this.file,
          line,
          field: 'exitTime',
          expected: `a closing time at or after ${iso(entry)}`,
          found: iso(exit),
          tradeId: id,
        });
      }
      const firstLine = this.seenIds.see(id, line);
      if (firstLine !== undefined) {
        keep[i] = 0;
        this.issues.add({
          severity: 'reject',
          code: 'duplicate_id',
          message: `trade id ${id} was already used ${firstLine > 0 ? `on line ${firstLine}` : 'by an earlier row'}`,
          file: this.file,
          line,
          field: 'sourceId',
          expected: 'an id not used by an earlier row',
          found: id,
          tradeId: id,
        });
      }
      this.checkNetParts(c, i);
      // A repeated row is not a second trade in the account's history: chaining it would add a
      // spurious mismatch to the reject that already names it. Other rejected rows (a trade closing
      // before it opens) are still real trades whose balance the next row builds on.
      if (firstLine === undefined) this.balances.add(c.balanceAfter[i]!, c.net[i]!, line, id);
    }
    return keep;
  }

  private checkNetParts(c: TradeColumns, i: number): void {
    const gross = c.gross[i]!;
    const commission = c.commission[i]!;
    const swap = c.swap[i]!;
    if (Number.isNaN(gross) || Number.isNaN(commission) || Number.isNaN(swap)) return;
    const expected = gross + commission + swap;
    // Three rounded parts may each be half a unit off.
    if (Math.abs(expected - c.net[i]!) <= 2 * this.tolerance) return;
    this.issues.add({
      severity: 'warning',
      code: 'net_mismatch',
      message: `net ${c.net[i]} is not gross ${gross} + commission ${commission} + swap ${swap} (${round(expected)})`,
      file: this.file,
      line: c.line[i]!,
      field: 'net',
      expected: String(round(expected)),
      found: String(c.net[i]),
      tradeId: c.sourceId[i]!,
    });
  }

  finish(): IntegrityResult {
    const chain = this.balances.finish();
    this.issues.addAll(chain.issues);
    this.issues.tally('warning', 'balance_mismatch', chain.mismatches - chain.issues.length);
    return { balanceOrder: chain.order, balanceMismatches: chain.mismatches, impliedStartingBalance: chain.startingBalance };
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();
const round = (v: number): number => Math.round(v * 1e8) / 1e8;
