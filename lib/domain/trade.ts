import { z } from 'zod';

/**
 * The canonical trade: ingest and the backtest engine both produce it, so every analysis works on
 * either. Times are UTC milliseconds since the epoch; money is in the deposit currency. A field a
 * source does not carry is `null`, never a made-up zero.
 */
export const DIRECTIONS = ['buy', 'sell'] as const;
export const Direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof Direction>;

export const CLOSE_REASONS = [
  'stop_loss',
  'take_profit',
  'trailing_stop',
  'stop_out',
  'signal',
  'manual',
  'end_of_data',
  'unknown',
] as const;
export const CloseReason = z.enum(CLOSE_REASONS);
export type CloseReason = z.infer<typeof CloseReason>;

export const StopChange = z.object({
  time: z.number().int(),
  stopLoss: z.number().nullable(),
  takeProfit: z.number().nullable(),
});
export type StopChange = z.infer<typeof StopChange>;

// zod 4 numbers already refuse NaN and the infinities.
const finite = z.number();
const utcMillis = z
  .number()
  .int('must be whole milliseconds')
  .min(Date.UTC(1970, 0, 1), 'must be after 1970')
  .max(Date.UTC(2200, 0, 1), 'must be before 2200');

export const TradeSchema = z.object({
  /** The id the source gave the trade (position id, ID column); the row number when it had none. */
  sourceId: z.string().min(1),
  symbol: z.string().min(1),
  direction: Direction,
  /** Lots. */
  quantity: finite.positive().nullable(),
  /** Units of the base asset. */
  volume: finite.positive().nullable(),
  entryTime: utcMillis.nullable(),
  exitTime: utcMillis,
  entryPrice: finite.positive().nullable(),
  exitPrice: finite.positive().nullable(),
  gross: finite.nullable(),
  commission: finite.nullable(),
  swap: finite.nullable(),
  net: finite,
  pips: finite.nullable(),
  balanceAfter: finite.nullable(),
  label: z.string().nullable(),
  closeReason: CloseReason,
  stops: z.array(StopChange).nullable(),
  /** Whatever else the source carried, under its original names: nothing is thrown away. */
  metadata: z.record(z.string(), z.unknown()),
});
export type Trade = z.infer<typeof TradeSchema>;

/** A trade as read from a file, with where it came from, before integrity rules have run. */
export interface SourcedTrade extends Trade {
  file: string;
  /** 1-based physical line (CSV) or array index + 1 (JSON). */
  line: number;
}
