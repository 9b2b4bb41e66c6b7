/** +1 long (buy), -1 short (sell). */
export type Side = 1 | -1;

/**
 * The open positions as fixed-capacity columns (capacity = the most positions the strategy may hold),
 * kept in opening order so that positions closed on the same bar are logged oldest first.
 */
export class PositionBook {
  count = 0;
  longCount = 0;
  shortCount = 0;
  readonly side: Int8Array;
  readonly units: Float64Array;
  readonly entryPrice: Float64Array;
  readonly entryTime: Float64Array;
  readonly entryBar: Int32Array;
  /** Entry-side commission, negative: it already weighs on equity while the position is open. */
  readonly entryCommission: Float64Array;
  /** Current stop level (moves with a trailing stop); NaN when none. */
  readonly stop: Float64Array;
  readonly target: Float64Array;
  readonly initialStop: Float64Array;
  /** Trailing distance in price; NaN without a trailing stop. */
  readonly trail: Float64Array;
  /** 1 once a trailing stop has moved the stop. */
  readonly trailed: Uint8Array;

  constructor(readonly capacity: number) {
    this.side = new Int8Array(capacity);
    this.units = new Float64Array(capacity);
    this.entryPrice = new Float64Array(capacity);
    this.entryTime = new Float64Array(capacity);
    this.entryBar = new Int32Array(capacity);
    this.entryCommission = new Float64Array(capacity);
    this.stop = new Float64Array(capacity);
    this.target = new Float64Array(capacity);
    this.initialStop = new Float64Array(capacity);
    this.trail = new Float64Array(capacity);
    this.trailed = new Uint8Array(capacity);
  }

  /** Slot for a new position; the caller fills every column. */
  add(side: Side): number {
    const k = this.count++;
    this.side[k] = side;
    if (side === 1) this.longCount++;
    else this.shortCount++;
    return k;
  }

  remove(k: number): void {
    if (this.side[k] === 1) this.longCount--;
    else this.shortCount--;
    for (let j = k + 1; j < this.count; j++) {
      this.side[j - 1] = this.side[j]!;
      this.units[j - 1] = this.units[j]!;
      this.entryPrice[j - 1] = this.entryPrice[j]!;
      this.entryTime[j - 1] = this.entryTime[j]!;
      this.entryBar[j - 1] = this.entryBar[j]!;
      this.entryCommission[j - 1] = this.entryCommission[j]!;
      this.stop[j - 1] = this.stop[j]!;
      this.target[j - 1] = this.target[j]!;
      this.initialStop[j - 1] = this.initialStop[j]!;
      this.trail[j - 1] = this.trail[j]!;
      this.trailed[j - 1] = this.trailed[j]!;
    }
    this.count--;
  }
}
