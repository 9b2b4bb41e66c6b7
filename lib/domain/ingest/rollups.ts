import type { TradeColumns } from '../trade-columns.js';

/**
 * Sums of a backtest's trades per UTC calendar day and per UTC hour of their entry (exit when the
 * entry is unknown): additive quantities only, so any grouping built from days (weekday, month, year)
 * or hours (session) is a sum of cells. The store keeps them beside the trades; queries over a whole
 * backtest aggregate these instead of a million rows.
 */
export interface TradeRollup {
  grain: 'day' | 'hour';
  /** `YYYY-MM-DD` or `00`..`23`. */
  key: string;
  n: number;
  wins: number;
  losses: number;
  net: number;
  grossProfit: number;
  grossLoss: number;
  largestWin: number | null;
  largestLoss: number | null;
  commission: number | null;
  commissionKnown: number;
  swap: number | null;
  swapKnown: number;
  sumSqNet: number;
}

const DAY_MS = 86_400_000;

function emptyCell(grain: TradeRollup['grain'], key: string): TradeRollup {
  return { grain, key, n: 0, wins: 0, losses: 0, net: 0, grossProfit: 0, grossLoss: 0, largestWin: null, largestLoss: null, commission: null, commissionKnown: 0, swap: null, swapKnown: 0, sumSqNet: 0 };
}

export class RollupAccumulator {
  private readonly days = new Map<number, TradeRollup>();
  private readonly hours = Array.from({ length: 24 }, (_, h) => emptyCell('hour', String(h).padStart(2, '0')));
  // Trades come roughly in time order: the day of the previous trade is usually this one's too.
  private lastDay = NaN;
  private lastCell: TradeRollup | undefined;

  add(c: TradeColumns, keep: Uint8Array): void {
    for (let i = 0; i < c.length; i++) {
      if (!keep[i]) continue;
      const entry = c.entryTime[i]!;
      const t = Number.isNaN(entry) ? c.exitTime[i]! : entry;
      const day = Math.floor(t / DAY_MS);
      let cell = day === this.lastDay ? this.lastCell : this.days.get(day);
      if (!cell) {
        cell = emptyCell('day', new Date(day * DAY_MS).toISOString().slice(0, 10));
        this.days.set(day, cell);
      }
      this.lastDay = day;
      this.lastCell = cell;
      const hour = this.hours[Math.floor((t - day * DAY_MS) / 3_600_000)]!;
      addTrade(cell, c, i);
      addTrade(hour, c, i);
    }
  }

  /** Money rounded to 8 decimals: whatever precision the source had, sums of doubles carry no visible error. */
  finish(): TradeRollup[] {
    const cells = [...[...this.days.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c), ...this.hours.filter((h) => h.n > 0)];
    return cells.map((c) => ({
      ...c,
      net: round8(c.net),
      grossProfit: round8(c.grossProfit),
      grossLoss: round8(c.grossLoss),
      commission: c.commission === null ? null : round8(c.commission),
      swap: c.swap === null ? null : round8(c.swap),
    }));
  }
}

function addTrade(cell: TradeRollup, c: TradeColumns, i: number): void {
  const net = c.net[i]!;
  cell.n++;
  cell.net += net;
  cell.sumSqNet += net * net;
  if (net > 0) {
    cell.wins++;
    cell.grossProfit += net;
    if (cell.largestWin === null || net > cell.largestWin) cell.largestWin = net;
  } else if (net < 0) {
    cell.losses++;
    cell.grossLoss += net;
    if (cell.largestLoss === null || net < cell.largestLoss) cell.largestLoss = net;
  }
  const commission = c.commission[i]!;
  if (!Number.isNaN(commission)) {
    cell.commission = (cell.commission ?? 0) + commission;
    cell.commissionKnown++;
  }
  const swap = c.swap[i]!;
  if (!Number.isNaN(swap)) {
    cell.swap = (cell.swap ?? 0) + swap;
    cell.swapKnown++;
  }
}

const round8 = (v: number) => Math.round(v * 1e8) / 1e8;
