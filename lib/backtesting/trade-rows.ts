import { tradeAt, type TradeColumns } from '../domain/trade-columns.js';
import type { Trade } from '../domain/trade.js';

/** A canonical trade as JSON: times in UTC ms, a missing value null (docs: architecture "The canonical trade"). */
export type TradeRow = Trade;

export function tradeRows(trades: TradeColumns): TradeRow[] {
  const rows: TradeRow[] = new Array(trades.length);
  for (let i = 0; i < trades.length; i++) {
    const { file: _file, line: _line, ...trade } = tradeAt(trades, i);
    rows[i] = trade;
  }
  return rows;
}

/** The CSV columns of `trading-ai backtest --trades`, in order. */
export const TRADE_CSV_COLUMNS = [
  'sourceId',
  'symbol',
  'direction',
  'quantity',
  'volume',
  'entryTime',
  'exitTime',
  'entryPrice',
  'exitPrice',
  'gross',
  'commission',
  'swap',
  'net',
  'pips',
  'balanceAfter',
  'label',
  'closeReason',
  'stops',
] as const;

/**
 * Rows for a CSV writer: times as ISO 8601 UTC, stop history as JSON text, missing values empty, and
 * numbers to 12 significant digits, which drops binary float noise (16.500000000001513 is written
 * 16.5) and keeps every digit a price or an amount of money has.
 */
export function tradeCsvRecords(rows: readonly TradeRow[]): (string | number)[][] {
  const iso = (t: number | null) => (t === null ? '' : new Date(t).toISOString());
  return rows.map((r) =>
    TRADE_CSV_COLUMNS.map((column) => {
      if (column === 'entryTime' || column === 'exitTime') return iso(r[column]);
      if (column === 'stops') return r.stops ? JSON.stringify(r.stops) : '';
      const v = r[column];
      if (v === null) return '';
      return typeof v === 'number' ? Number(v.toPrecision(12)) : v;
    }),
  );
}
