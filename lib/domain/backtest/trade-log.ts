import type { ClosedTradeColumns } from '../metrics/index.js';
import { emptyTradeColumns, type TradeColumns } from '../trade-columns.js';
import type { StopChange } from '../trade.js';

const FLOAT_FIELDS = [
  'units',
  'entryTime',
  'exitTime',
  'entryPrice',
  'exitPrice',
  'gross',
  'commission',
  'net',
  'pips',
  'balanceAfter',
  'initialStop',
  'takeProfit',
  'finalStop',
] as const;
const INDEX_FIELDS = ['entryBar', 'exitBar'] as const;
const BYTE_FIELDS = ['direction', 'closeReason'] as const;

/**
 * Closed trades as growable columns, written by the run loop without allocating per trade and
 * reusable across the candidates of a batch. Holds only what the engine knows; `toTradeColumns`
 * makes the canonical TradeColumns when a caller wants them.
 */
export class TradeLog {
  length = 0;
  units = new Float64Array(0);
  entryTime = new Float64Array(0);
  exitTime = new Float64Array(0);
  entryPrice = new Float64Array(0);
  exitPrice = new Float64Array(0);
  gross = new Float64Array(0);
  /** Both sides, negative (cTrader's sign). */
  commission = new Float64Array(0);
  net = new Float64Array(0);
  pips = new Float64Array(0);
  balanceAfter = new Float64Array(0);
  /** Stop and target at entry, stop at exit (moved by a trailing stop); NaN when none. */
  initialStop = new Float64Array(0);
  takeProfit = new Float64Array(0);
  finalStop = new Float64Array(0);
  entryBar = new Int32Array(0);
  exitBar = new Int32Array(0);
  /** Index into DIRECTIONS. */
  direction = new Uint8Array(0);
  /** Index into CLOSE_REASONS. */
  closeReason = new Uint8Array(0);

  constructor(capacity = 64) {
    this.grow(capacity);
  }

  /** Index of a new row; columns may be replaced, so write through `log.field[k]`, not a saved array. */
  append(): number {
    if (this.length === this.units.length) this.grow(this.units.length * 2);
    return this.length++;
  }

  reset(): void {
    this.length = 0;
  }

  /** Views of the metrics' inputs (no copy): valid until the log is reset or grows. */
  closedColumns(): ClosedTradeColumns {
    const n = this.length;
    return {
      entryTime: this.entryTime.subarray(0, n),
      exitTime: this.exitTime.subarray(0, n),
      net: this.net.subarray(0, n),
      gross: this.gross.subarray(0, n),
      commission: this.commission.subarray(0, n),
      direction: this.direction.subarray(0, n),
    };
  }

  toTradeColumns(context: { symbol: string; label: string; file: string; lotSize: number }): TradeColumns {
    const n = this.length;
    const out = emptyTradeColumns(n, context.file);
    for (let k = 0; k < n; k++) {
      out.line[k] = k + 1;
      out.sourceId[k] = String(k + 1);
      out.symbol[k] = context.symbol;
      out.direction[k] = this.direction[k]!;
      out.quantity[k] = this.units[k]! / context.lotSize;
      out.volume[k] = this.units[k]!;
      out.entryTime[k] = this.entryTime[k]!;
      out.exitTime[k] = this.exitTime[k]!;
      out.entryPrice[k] = this.entryPrice[k]!;
      out.exitPrice[k] = this.exitPrice[k]!;
      out.gross[k] = this.gross[k]!;
      out.commission[k] = this.commission[k]!;
      out.swap[k] = 0;
      out.net[k] = this.net[k]!;
      out.pips[k] = this.pips[k]!;
      out.balanceAfter[k] = this.balanceAfter[k]!;
      out.label[k] = context.label;
      out.closeReason[k] = this.closeReason[k]!;
      out.stops[k] = this.stopHistory(k);
      out.metadata[k] = null;
    }
    return out;
  }

  private stopHistory(k: number): string | null {
    const stop = orNull(this.initialStop[k]!);
    const target = orNull(this.takeProfit[k]!);
    if (stop === null && target === null) return null;
    const changes: StopChange[] = [{ time: this.entryTime[k]!, stopLoss: stop, takeProfit: target }];
    const finalStop = orNull(this.finalStop[k]!);
    if (finalStop !== stop) changes.push({ time: this.exitTime[k]!, stopLoss: finalStop, takeProfit: target });
    return JSON.stringify(changes);
  }

  private grow(capacity: number): void {
    for (const field of FLOAT_FIELDS) this[field] = copyInto(new Float64Array(capacity), this[field]);
    for (const field of INDEX_FIELDS) this[field] = copyInto(new Int32Array(capacity), this[field]);
    for (const field of BYTE_FIELDS) this[field] = copyInto(new Uint8Array(capacity), this[field]);
  }
}

function copyInto<T extends Float64Array | Int32Array | Uint8Array>(target: T, source: T): T {
  target.set(source as never);
  return target;
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
