/** Small numeric helpers shared by the metrics; each states its convention once. */

/**
 * A reward over a risk, with the one rule every ratio here follows when the risk is 0: +Infinity for a
 * positive reward (a profit factor with no losing trade), -Infinity for a negative one, null for 0 / 0.
 */
export function rewardOverRisk(reward: number, risk: number): number | null {
  if (risk > 0) return reward / risk;
  if (reward > 0) return Number.POSITIVE_INFINITY;
  if (reward < 0) return Number.NEGATIVE_INFINITY;
  return null;
}

export function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Sample standard deviation (divides by n - 1), two-pass around the mean for accuracy. */
export function sampleStandardDeviation(values: Float64Array, valuesMean: number): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const distance = values[i]! - valuesMean;
    squares += distance * distance;
  }
  return Math.sqrt(squares / (values.length - 1));
}

export function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${String(value)}`);
  }
}

export { requireColumnLengths } from '../column-lengths.js';
