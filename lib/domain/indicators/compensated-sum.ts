/**
 * A running sum with Neumaier compensation. A sliding window adds one value and removes another on
 * every bar, so a plain `+=` accumulates rounding error over millions of bars; the compensation term
 * keeps the low-order bits that each addition would otherwise drop, and the sum stays within a couple
 * of ulps of the exactly summed window however long the series is.
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(value: number): void {
    const total = this.sum + value;
    if (Math.abs(this.sum) >= Math.abs(value)) this.compensation += this.sum - total + value;
    else this.compensation += value - total + this.sum;
    this.sum = total;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}
