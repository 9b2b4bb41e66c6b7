import { CLOSE_REASONS, DIRECTIONS, type CloseReason, type SourcedTrade, type StopChange } from './trade.js';

/**
 * Trades as columns: how they travel between stages and into the store when there are millions.
 * Numeric columns use NaN for "the source did not carry it"; strings use null.
 */
export interface TradeColumns {
  length: number;
  /** The file these trades came from (one trade source per batch). */
  file: string;
  line: Float64Array;
  sourceId: string[];
  symbol: string[];
  /** Index into DIRECTIONS. */
  direction: Uint8Array;
  quantity: Float64Array;
  volume: Float64Array;
  entryTime: Float64Array;
  exitTime: Float64Array;
  entryPrice: Float64Array;
  exitPrice: Float64Array;
  gross: Float64Array;
  commission: Float64Array;
  swap: Float64Array;
  net: Float64Array;
  pips: Float64Array;
  balanceAfter: Float64Array;
  label: (string | null)[];
  /** Index into CLOSE_REASONS. */
  closeReason: Uint8Array;
  /** JSON text of StopChange[], or null. */
  stops: (string | null)[];
  /** JSON text of the metadata bag, or null when empty. */
  metadata: (string | null)[];
}

export const NUMERIC_TRADE_COLUMNS = [
  'line',
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
] as const;
export type NumericTradeColumn = (typeof NUMERIC_TRADE_COLUMNS)[number];

export const STRING_TRADE_COLUMNS = ['sourceId', 'symbol', 'label', 'stops', 'metadata'] as const;

const directionIndex = new Map<string, number>(DIRECTIONS.map((d, i) => [d, i]));
const closeReasonIndex = new Map<string, number>(CLOSE_REASONS.map((r, i) => [r, i]));
const UNKNOWN_CLOSE_REASON = closeReasonIndex.get('unknown')!;

/** The column code of a direction name, or undefined for a name that is not one. */
export const directionCode = (name: string): number | undefined => directionIndex.get(name);

/** The column code of a close reason; a name that is not one is stored as `unknown`. */
export const closeReasonCode = (name: string): number => closeReasonIndex.get(name) ?? UNKNOWN_CLOSE_REASON;

export function emptyTradeColumns(length: number, file: string): TradeColumns {
  return {
    length,
    file,
    line: new Float64Array(length),
    sourceId: new Array<string>(length),
    symbol: new Array<string>(length),
    direction: new Uint8Array(length),
    quantity: new Float64Array(length),
    volume: new Float64Array(length),
    entryTime: new Float64Array(length),
    exitTime: new Float64Array(length),
    entryPrice: new Float64Array(length),
    exitPrice: new Float64Array(length),
    gross: new Float64Array(length),
    commission: new Float64Array(length),
    swap: new Float64Array(length),
    net: new Float64Array(length),
    pips: new Float64Array(length),
    balanceAfter: new Float64Array(length),
    label: new Array<string | null>(length),
    closeReason: new Uint8Array(length),
    stops: new Array<string | null>(length),
    metadata: new Array<string | null>(length),
  };
}

const num = (v: number | null): number => (v === null ? NaN : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function tradesToColumns(trades: readonly SourcedTrade[], file: string): TradeColumns {
  const c = emptyTradeColumns(trades.length, file);
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i]!;
    c.line[i] = t.line;
    c.sourceId[i] = t.sourceId;
    c.symbol[i] = t.symbol;
    c.direction[i] = directionIndex.get(t.direction)!;
    c.quantity[i] = num(t.quantity);
    c.volume[i] = num(t.volume);
    c.entryTime[i] = num(t.entryTime);
    c.exitTime[i] = t.exitTime;
    c.entryPrice[i] = num(t.entryPrice);
    c.exitPrice[i] = num(t.exitPrice);
    c.gross[i] = num(t.gross);
    c.commission[i] = num(t.commission);
    c.swap[i] = num(t.swap);
    c.net[i] = t.net;
    c.pips[i] = num(t.pips);
    c.balanceAfter[i] = num(t.balanceAfter);
    c.label[i] = t.label;
    c.closeReason[i] = closeReasonCode(t.closeReason);
    c.stops[i] = t.stops && t.stops.length > 0 ? JSON.stringify(t.stops) : null;
    c.metadata[i] = Object.keys(t.metadata).length > 0 ? JSON.stringify(t.metadata) : null;
  }
  return c;
}

export function tradeAt(c: TradeColumns, i: number): SourcedTrade {
  return {
    file: c.file,
    line: c.line[i]!,
    sourceId: c.sourceId[i]!,
    symbol: c.symbol[i]!,
    direction: DIRECTIONS[c.direction[i]!]!,
    quantity: orNull(c.quantity[i]!),
    volume: orNull(c.volume[i]!),
    entryTime: orNull(c.entryTime[i]!),
    exitTime: c.exitTime[i]!,
    entryPrice: orNull(c.entryPrice[i]!),
    exitPrice: orNull(c.exitPrice[i]!),
    gross: orNull(c.gross[i]!),
    commission: orNull(c.commission[i]!),
    swap: orNull(c.swap[i]!),
    net: c.net[i]!,
    pips: orNull(c.pips[i]!),
    balanceAfter: orNull(c.balanceAfter[i]!),
    label: c.label[i] ?? null,
    closeReason: CLOSE_REASONS[c.closeReason[i]!] as CloseReason,
    stops: c.stops[i] ? (JSON.parse(c.stops[i]!) as StopChange[]) : null,
    metadata: c.metadata[i] ? (JSON.parse(c.metadata[i]!) as Record<string, unknown>) : {},
  };
}

/** Keeps the rows whose `keep` flag is set, in order. */
export function selectRows(c: TradeColumns, keep: Uint8Array): TradeColumns {
  let n = 0;
  for (let i = 0; i < c.length; i++) if (keep[i]) n++;
  if (n === c.length) return c;
  const out = emptyTradeColumns(n, c.file);
  let j = 0;
  for (let i = 0; i < c.length; i++) {
    if (!keep[i]) continue;
    for (const k of NUMERIC_TRADE_COLUMNS) out[k][j] = c[k][i]!;
    for (const k of STRING_TRADE_COLUMNS) (out[k] as (string | null)[])[j] = c[k][i]!;
    out.direction[j] = c.direction[i]!;
    out.closeReason[j] = c.closeReason[i]!;
    j++;
  }
  return out;
}

/** One batch from several, in order (pages read from the store, for instance). */
export function concatTradeColumns(parts: TradeColumns[]): TradeColumns {
  if (parts.length === 1) return parts[0]!;
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out = emptyTradeColumns(length, parts[0]?.file ?? '');
  let at = 0;
  for (const p of parts) {
    for (const k of NUMERIC_TRADE_COLUMNS) out[k].set(p[k].subarray(0, p.length), at);
    out.direction.set(p.direction.subarray(0, p.length), at);
    out.closeReason.set(p.closeReason.subarray(0, p.length), at);
    for (const k of STRING_TRADE_COLUMNS) for (let i = 0; i < p.length; i++) (out[k] as (string | null)[])[at + i] = p[k][i]!;
    at += p.length;
  }
  return out;
}
