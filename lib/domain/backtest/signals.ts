import type { BarClock } from './bar-clock.js';
import type { CompiledCondition, CompiledOperand, SeriesSource } from './compiled-strategy.js';
import { andInto, orInto } from './byte-columns.js';
import { comparisonSignal, crossSignal } from './crossing.js';

/** The per-bar columns conditions read, resolved (and cached) by the run. */
export interface ConditionInputs {
  length: number;
  series(source: SeriesSource): Float64Array;
  clock(): BarClock;
}

/**
 * Conditions evaluated on every bar at once: 1 where a condition holds at the bar's close. Vectorised
 * so the run loop only reads a byte per bar. Within one run, identical sub-conditions and identical
 * left - right differences are computed once (a long exit and a short entry are often the same
 * crossing, and a cross above and below of the same pair share one difference).
 */
export class SignalEvaluator {
  private readonly signals = new Map<string, Uint8Array>();
  private readonly differences = new Map<string, Float64Array>();

  constructor(private readonly inputs: ConditionInputs) {}

  signal(condition: CompiledCondition): Uint8Array {
    const key = JSON.stringify(condition);
    let signal = this.signals.get(key);
    if (!signal) {
      signal = this.evaluate(condition);
      this.signals.set(key, signal);
    }
    return signal;
  }

  private evaluate(condition: CompiledCondition): Uint8Array {
    const n = this.inputs.length;
    switch (condition.kind) {
      case 'cross':
        return crossSignal(this.difference(condition.left, condition.right), condition.direction, condition.rule);
      case 'compare':
        return comparisonSignal(this.difference(condition.left, condition.right), condition.operator);
      case 'all': {
        const out = new Uint8Array(n).fill(1);
        for (const part of condition.conditions) andInto(out, this.signal(part));
        return out;
      }
      case 'any': {
        const out = new Uint8Array(n);
        for (const part of condition.conditions) orInto(out, this.signal(part));
        return out;
      }
      case 'not': {
        const signal = this.signal(condition.condition);
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) out[i] = signal[i]! ^ 1;
        return out;
      }
      case 'constant':
        return new Uint8Array(n).fill(condition.value ? 1 : 0);
      case 'weekday': {
        const { weekday } = this.inputs.clock();
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) out[i] = (condition.mask >> weekday[i]!) & 1;
        return out;
      }
      case 'minutes': {
        const { minuteOfDay } = this.inputs.clock();
        const out = new Uint8Array(n);
        for (const { from, to } of condition.windows) {
          if (from < to) for (let i = 0; i < n; i++) out[i]! |= minuteOfDay[i]! >= from && minuteOfDay[i]! < to ? 1 : 0;
          else for (let i = 0; i < n; i++) out[i]! |= minuteOfDay[i]! >= from || minuteOfDay[i]! < to ? 1 : 0;
        }
        return out;
      }
    }
  }

  /**
   * left - right on every bar; NaN where a series has no value yet or is shifted before the first bar.
   * Comparisons and crossings are decided on this one column (x > y exactly when x - y > 0 for finite
   * doubles, thanks to gradual underflow).
   */
  private difference(left: CompiledOperand, right: CompiledOperand): Float64Array {
    const key = JSON.stringify([left, right]);
    const known = this.differences.get(key);
    if (known) return known;
    const n = this.inputs.length;
    const out = new Float64Array(n);
    const a = left.kind === 'series' ? this.inputs.series(left.source) : null;
    const b = right.kind === 'series' ? this.inputs.series(right.source) : null;
    const aShift = left.kind === 'series' ? left.barsAgo : 0;
    const bShift = right.kind === 'series' ? right.barsAgo : 0;
    const aConstant = left.kind === 'constant' ? left.value : 0;
    const bConstant = right.kind === 'constant' ? right.value : 0;
    if (a && b && aShift === 0 && bShift === 0) {
      for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
    } else {
      for (let i = 0; i < n; i++) {
        const x = a === null ? aConstant : i >= aShift ? a[i - aShift]! : Number.NaN;
        const y = b === null ? bConstant : i >= bShift ? b[i - bShift]! : Number.NaN;
        out[i] = x - y;
      }
    }
    this.differences.set(key, out);
    return out;
  }
}
