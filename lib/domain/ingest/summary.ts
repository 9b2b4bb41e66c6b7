import { computeMetrics } from '../metrics/index.js';
import type { TradeColumns } from '../trade-columns.js';
import { GrowableFloat64, GrowableUint8 } from './growable.js';

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
  maxBalanceDrawdown: { absolute: number; percent: number | null };
}

/**
 * Collects the columns the summary needs from accepted rows, batch by batch (24 bytes a trade), then
 * computes every figure once with the metrics module, in closing-time order.
 */
export class SummaryAccumulator {
  private readonly entryTime = new GrowableFloat64();
  private readonly exitTime = new GrowableFloat64();
  private readonly net = new GrowableFloat64();
  private readonly gross = new GrowableFloat64();
  private readonly commission = new GrowableFloat64();
  private readonly direction = new GrowableUint8();
  private readonly symbols = new Map<string, number>();
  private commissionSum = 0;
  private commissionSeen = false;
  private swapSum = 0;
  private swapSeen = false;
  private unitemised = 0;
  private unitemisedSeen = false;
  private minTime = Infinity;
  private maxTime = -Infinity;

  add(c: TradeColumns, keep: Uint8Array): void {
    for (let i = 0; i < c.length; i++) {
      if (!keep[i]) continue;
      const entry = c.entryTime[i]!;
      const exit = c.exitTime[i]!;
      this.entryTime.push(entry);
      this.exitTime.push(exit);
      this.net.push(c.net[i]!);
      this.gross.push(c.gross[i]!);
      this.commission.push(c.commission[i]!);
      this.direction.push(c.direction[i]!);
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
        this.unitemised += c.net[i]! - gross - (Number.isNaN(commission) ? 0 : commission) - (Number.isNaN(swap) ? 0 : swap);
        this.unitemisedSeen = true;
      }
      this.minTime = Math.min(this.minTime, Number.isNaN(entry) ? exit : entry);
      this.maxTime = Math.max(this.maxTime, exit);
    }
  }

  get count(): number {
    return this.net.length;
  }

  finish(context: { startingBalance: number | null; accountCurrency: string | null; depositDigits: number }): IngestSummary {
    const n = this.net.length;
    const order = sortedByExit(this.exitTime.view());
    const pick = (src: Float64Array) => Float64Array.from(order, (k) => src[k]!);
    const exitTime = pick(this.exitTime.view());
    const net = pick(this.net.view());
    const trades = {
      entryTime: pick(this.entryTime.view()),
      exitTime,
      net,
      gross: pick(this.gross.view()),
      commission: pick(this.commission.view()),
      direction: Uint8Array.from(order, (k) => this.direction.view()[k]!),
    };
    // Without a known start the curve starts at 0: drawdown in money is still right, percent is not defined.
    const start = context.startingBalance !== null && context.startingBalance > 0 ? context.startingBalance : null;
    const balance = new Float64Array(n);
    let running = start ?? 0;
    for (let i = 0; i < n; i++) balance[i] = running += net[i]!;
    const metrics = computeMetrics(trades, { time: exitTime, balance, equity: balance }, start ?? 1e-9);
    const money = (v: number) => roundTo(v, context.depositDigits);
    return {
      trades: n,
      period: n > 0 ? { start: new Date(this.minTime).toISOString(), end: new Date(this.maxTime).toISOString() } : null,
      symbols: [...this.symbols.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([symbol, trades]) => ({ symbol, trades })),
      accountCurrency: context.accountCurrency,
      startingBalance: start === null ? null : money(start),
      endingBalance: start === null ? null : money(running),
      netProfit: money(metrics.netProfit),
      grossProfit: money(metrics.grossProfit),
      grossLoss: money(metrics.grossLoss),
      commissions: this.commissionSeen ? money(this.commissionSum) : null,
      swaps: this.swapSeen ? money(this.swapSum) : null,
      unitemisedCosts: this.unitemisedSeen ? money(this.unitemised) : null,
      winningTrades: metrics.winningTrades,
      losingTrades: metrics.losingTrades,
      winRate: metrics.winRate,
      profitFactor: metrics.profitFactor === Infinity ? 'Infinity' : metrics.profitFactor,
      maxBalanceDrawdown: {
        absolute: money(metrics.maxBalanceDrawdown),
        percent: start === null ? null : Math.round(metrics.maxBalanceDrawdownPercent * 100) / 100,
      },
    };
  }
}

function sortedByExit(exit: Float64Array): Uint32Array {
  const order = new Uint32Array(exit.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  let sorted = true;
  for (let i = 1; i < exit.length && sorted; i++) sorted = exit[i - 1]! <= exit[i]!;
  // Stable sort keeps the file order of trades closed at the same millisecond.
  return sorted ? order : order.sort((a, b) => exit[a]! - exit[b]! || a - b);
}

const roundTo = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
