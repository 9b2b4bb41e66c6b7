import type { Issue } from '../issues.js';

interface Hypothesis {
  mismatches: number;
  kept: Issue[];
  checked: number;
}

/**
 * Checks that each trade's balance equals the previous balance plus its net, within rounding.
 * Exports list trades oldest-first or newest-first, and nothing in the file says which, so both
 * orders are checked side by side and the one the file agrees with better is reported.
 */
export class BalanceChain {
  private readonly forward: Hypothesis = { mismatches: 0, kept: [], checked: 0 };
  private readonly backward: Hypothesis = { mismatches: 0, kept: [], checked: 0 };
  private prev: { balance: number; net: number; line: number } | null = null;
  private firstRow: { balance: number; net: number } | null = null;
  private lastRow: { balance: number; net: number } | null = null;
  private readonly tolerance: number;

  constructor(
    private readonly file: string,
    depositDigits: number,
    private readonly maxKept = 100,
  ) {
    // Net and balance are each rounded for display, so they can disagree by one unit of the last digit.
    this.tolerance = 10 ** -depositDigits + 1e-9;
  }

  add(balance: number, net: number, line: number, tradeId: string): void {
    if (Number.isNaN(balance)) return;
    if (this.firstRow === null) this.firstRow = { balance, net };
    this.lastRow = { balance, net };
    const p = this.prev;
    this.prev = { balance, net, line };
    if (p === null) return;
    this.test(this.forward, p.balance + net, balance, line, tradeId, 'previous balance + this net');
    // Newest first: the previous row is later in time, so its balance = this balance + its net.
    this.test(this.backward, balance + p.net, p.balance, p.line, tradeId, 'next balance + previous net');
  }

  private test(h: Hypothesis, expected: number, found: number, line: number, tradeId: string, rule: string): void {
    h.checked++;
    if (Math.abs(expected - found) <= this.tolerance) return;
    h.mismatches++;
    if (h.kept.length < this.maxKept) {
      h.kept.push({
        severity: 'warning',
        code: 'balance_mismatch',
        message: `balance ${round(found)} does not equal ${rule} (${round(expected)}); off by ${round(found - expected)}`,
        file: this.file,
        line,
        field: 'balanceAfter',
        expected: String(round(expected)),
        found: String(round(found)),
        tradeId,
      });
    }
  }

  /** The order the file's balances follow, and the issues for rows that break it. */
  finish(): { order: 'oldest-first' | 'newest-first' | 'unknown'; mismatches: number; issues: Issue[]; startingBalance: number | null } {
    if (this.forward.checked === 0) {
      return { order: 'unknown', mismatches: 0, issues: [], startingBalance: this.firstRow ? this.firstRow.balance - this.firstRow.net : null };
    }
    const newestFirst = this.backward.mismatches < this.forward.mismatches;
    const h = newestFirst ? this.backward : this.forward;
    const oldest = newestFirst ? this.lastRow! : this.firstRow!;
    return {
      order: newestFirst ? 'newest-first' : 'oldest-first',
      mismatches: h.mismatches,
      issues: h.kept,
      startingBalance: oldest.balance - oldest.net,
    };
  }
}

const round = (v: number): number => Math.round(v * 1e8) / 1e8;
