import { maxDrawdown, rewardOverRisk } from '../metrics/index.js';
import { closingOrder } from '../metrics/closing-order.js';
import type { TradeColumns } from '../trade-columns.js';
import { GrowableFloat64 } from './growable.js';
import { RollupAccumulator, type TradeRollup } from './rollups.js';

/** What the trader sees after an ingest: the facts they would otherwise squint at a spreadsheet for. */
export interface IngestSummary {
  trades: number;
  period: { start: string; end: string } | null;
  symbols: { symbol: string; trades: number }[];
  accountCurrency: string | null;
  startingBalance: number | null;
  endingBalance: number | null;
  netProfit: number;
  grossProfit: number;
  grossLoss: number;
  /** Sums over trades that itemise them; null when no trade does. */
  commissions: number | null;
  swaps: number | null;
  /** net - gross - commission - swap summed where the source gives gross but not the costs (events.json). */
  unitemisedCosts: number | null;
  winningTrades: number;
  losingTrades: number;
  /** Fraction 0-1. */
  winRate: number | null;
  /** A number, "Infinity" (no losing trade) or null (no trade). */
  profitFactor: number | string | null;
  maxBalanceDrawdown: {
    absolute: number;
    /** The deepest fall relative to its peak balance, 0-100 (may happen at another time than the largest in money). */
    percent: number | null;
    /** The largest fall in money, as a percentage of the peak it fell from. */
    percentAtMax: number | null;
    /** When the balance last stood at the peak the largest fall started from (null: the starting balance). */
    peakAt: string | null;
    /** The closing time of the trade at the bottom of the largest fall. */
    troughAt: string | null;
  };
  /** The longest runs of winners and of losers in closing order; a breakeven trade ends both. */
  streaks: { wins: Streak | null; losses: Streak | null };
}

export interface Streak {
  length: number;
  /** Closing times of the first and last trade of the run. */
  from: string;
  to: string;
  net: number;
}

/**
 * Sums, counts and extremes run as the batches stream by; only each trade's closing time and net
 * are kept (16 bytes a trade), because the balance drawdown must follow closing order and a file
 * need not be in it. Definitions are those of docs/metrics.md: a win is net > 0, a loss net < 0,
 * profit factor is gross profit over the size of gross loss, drawdown runs from the starting balance.
 */
export class SummaryAccumulator {
  private readonly exitTime = new GrowableFloat64();
  private readonly net = new GrowableFloat64();
  private readonly symbols = new Map<string, number>();
  private grossProfit = 0;
  private grossLoss = 0;
  private winners = 0;
  private losers = 0;
  private commissionSum = 0;
  private commissionSeen = false;
  private swapSum = 0;
  private swapSeen = false;
  private unitemised = 0;
  private unitemisedSeen = false;
  private minTime = Infinity;
  private maxTime = -Infinity;
  private readonly cells = new RollupAccumulator();

  add(c: TradeColumns, keep: Uint8Array): void {
    this.cells.add(c, keep);
    for (let i = 0; i < c.length; i++) {
      if (!keep[i]) continue;
      const entry = c.entryTime[i]!;
      const exit = c.exitTime[i]!;
      const net = c.net[i]!;
      this.exitTime.push(exit);
      this.net.push(net);
      if (net > 0) {
        this.winners++;
        this.grossProfit += net;
      } else if (net < 0) {
        this.losers++;
        this.grossLoss += net;
      }
      this.symbols.set(c.symbol[i]!, (this.symbols.get(c.symbol[i]!) ?? 0) + 1);
      const commission = c.commission[i]!;
      const swap = c.swap[i]!;
      const gross = c.gross[i]!;
      if (!Number.isNaN(commission)) {
        this.commissionSum += commission;
        this.commissionSeen = true;
      }
      if (!Number.isNaN(swap)) {
        this.swapSum += swap;
        this.swapSeen = true;
      }
      if (!Number.isNaN(gross) && (Number.isNaN(commission) || Number.isNaN(swap))) {
        this.unitemised += net - gross - (Number.isNaN(commission) ? 0 : commission) - (Number.isNaN(swap) ? 0 : swap);
        this.unitemisedSeen = true;
      }
      this.minTime = Math.min(this.minTime, Number.isNaN(entry) ? exit : entry);
      this.maxTime = Math.max(this.maxTime, exit);
    }
  }

  get count(): number {
    return this.net.length;
  }

  /** The per-day and per-hour sums of the same trades, for the store (see rollups.ts). */
  rollups(): TradeRollup[] {
    return this.cells.finish();
  }

  finish(context: { startingBalance: number | null; accountCurrency: string | null; depositDigits: number }): IngestSummary {
    const n = this.net.length;
    const exitTime = this.exitTime.view();
    const netInFileOrder = this.net.view();
    const order = closingOrder(exitTime);
    // Without a known start the curve starts at 0: drawdown in money is still right, percent is not defined.
    const start = context.startingBalance !== null && context.startingBalance > 0 ? context.startingBalance : null;
    const balance = new Float64Array(n);
    let running = start ?? 0;
    let netProfit = 0;
    for (let k = 0; k < n; k++) {
      const v = netInFileOrder[order === null ? k : order[k]!]!;
      netProfit += v;
      balance[k] = running += v;
    }
    const drawdown = maxDrawdown(balance, start ?? 0);
    const largest = largestFall(balance, exitTime, order, start ?? 0);
    const streaks = longestStreaks(netInFileOrder, exitTime, order, context.depositDigits);
    const money = (v: number) => roundTo(v, context.depositDigits);
    const profitFactor = n === 0 ? null : rewardOverRisk(this.grossProfit, -this.grossLoss);
    return {
      trades: n,
      period: n > 0 ? { start: new Date(this.minTime).toISOString(), end: new Date(this.maxTime).toISOString() } : null,
      symbols: [...this.symbols.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([symbol, trades]) => ({ symbol, trades })),
      accountCurrency: context.accountCurrency,
      startingBalance: start === null ? null : money(start),
      endingBalance: start === null ? null : money(running),
      netProfit: money(netProfit),
      grossProfit: money(this.grossProfit),
      grossLoss: money(this.grossLoss),
      commissions: this.commissionSeen ? money(this.commissionSum) : null,
      swaps: this.swapSeen ? money(this.swapSum) : null,
      unitemisedCosts: this.unitemisedSeen ? money(this.unitemised) : null,
      winningTrades: this.winners,
      losingTrades: this.losers,
      winRate: n === 0 ? null : this.winners / n,
      profitFactor: profitFactor === Infinity ? 'Infinity' : profitFactor,
      maxBalanceDrawdown: {
        absolute: money(drawdown.absolute),
        percent: start === null ? null : Math.round(drawdown.percent * 100) / 100,
        percentAtMax: start === null || largest.peak <= 0 ? null : Math.round((largest.fall / largest.peak) * 10_000) / 100,
        peakAt: largest.peakAt,
        troughAt: largest.troughAt,
      },
      streaks,
    };
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The largest fall of the balance in money, with when it began and ended. Ties go to the earliest
 * trough; the peak is the last time the balance stood at its running high before it (null when that
 * high is the starting balance). The same rules as the query's drawdown SQL, so both agree.
 */
function largestFall(balance: Float64Array, exitTime: Float64Array, order: Uint32Array | null, start: number) {
  let peak = start;
  let peakAt: string | null = null;
  let best = { fall: -1, peak: start, peakAt: null as string | null, troughAt: null as string | null };
  for (let k = 0; k < balance.length; k++) {
    const t = exitTime[order === null ? k : order[k]!]!;
    if (balance[k]! >= peak) {
      peak = balance[k]!;
      peakAt = iso(t);
    }
    const fall = peak - balance[k]!;
    if (fall > best.fall) best = { fall, peak, peakAt, troughAt: iso(t) };
  }
  return best.fall < 0 ? { fall: 0, peak: start, peakAt: null, troughAt: null } : best;
}

/** Longest runs of net > 0 and of net < 0 in closing order; a breakeven trade ends both; ties go to the earlier run. */
function longestStreaks(net: Float64Array, exitTime: Float64Array, order: Uint32Array | null, digits: number): IngestSummary['streaks'] {
  const best: { wins: Streak | null; losses: Streak | null } = { wins: null, losses: null };
  let sign = 0;
  let length = 0;
  let first = 0;
  let last = 0;
  let sum = 0;
  const close = () => {
    if (sign === 0) return;
    const key = sign > 0 ? 'wins' : 'losses';
    const current = best[key];
    if (!current || length > current.length) best[key] = { length, from: iso(first), to: iso(last), net: roundTo(sum, digits) };
  };
  for (let k = 0; k < net.length; k++) {
    const i = order === null ? k : order[k]!;
    const s = Math.sign(net[i]!);
    if (s !== sign || s === 0) {
      close();
      sign = s;
      length = 0;
      sum = 0;
      first = exitTime[i]!;
    }
    if (s !== 0) {
      length++;
      sum += net[i]!;
      last = exitTime[i]!;
    }
  }
  close();
  return best;
}

const roundTo = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
