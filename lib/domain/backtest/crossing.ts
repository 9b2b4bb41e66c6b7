import type { ComparisonOperator, CrossRule } from '../strategy/conditions-schema.js';

/**
 * Crossings of left over right, from their difference d = left - right (NaN where either is missing).
 *
 * `lastNonZero`: crosses above on bar i when d[i] > 0 and the last non-zero d before bar i was < 0
 * (backtrader's CrossOver). A touch (d = 0) followed by a return to the same side is not a cross; a
 * touch followed by going through is one cross, on the bar that goes through.
 * `previousBar`: crosses above when d[i-1] <= 0 and d[i] > 0; a touch and return fires on the return.
 * Below is the mirror image. No bar before both sides have values can cross.
 */
export function crossSignal(difference: Float64Array, direction: 'above' | 'below', rule: CrossRule): Uint8Array {
  const out = new Uint8Array(difference.length);
  const n = difference.length;
  // Four plain loops rather than one with a sign factor: this runs once per candidate on every bar.
  if (rule === 'lastNonZero') {
    let lastNonZero = Number.NaN;
    if (direction === 'above') {
      for (let i = 0; i < n; i++) {
        const d = difference[i]!;
        if (d > 0 && lastNonZero < 0) out[i] = 1;
        if (d !== 0 && d === d) lastNonZero = d;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const d = difference[i]!;
        if (d < 0 && lastNonZero > 0) out[i] = 1;
        if (d !== 0 && d === d) lastNonZero = d;
      }
    }
  } else if (direction === 'above') {
    for (let i = 1; i < n; i++) if (difference[i]! > 0 && difference[i - 1]! <= 0) out[i] = 1;
  } else {
    for (let i = 1; i < n; i++) if (difference[i]! < 0 && difference[i - 1]! >= 0) out[i] = 1;
  }
  return out;
}

/** left OP right from d = left - right; a missing value (NaN) is never true. */
export function comparisonSignal(difference: Float64Array, operator: ComparisonOperator): Uint8Array {
  const out = new Uint8Array(difference.length);
  const n = difference.length;
  switch (operator) {
    case '>':
      for (let i = 0; i < n; i++) out[i] = difference[i]! > 0 ? 1 : 0;
      break;
    case '>=':
      for (let i = 0; i < n; i++) out[i] = difference[i]! >= 0 ? 1 : 0;
      break;
    case '<':
      for (let i = 0; i < n; i++) out[i] = difference[i]! < 0 ? 1 : 0;
      break;
    case '<=':
      for (let i = 0; i < n; i++) out[i] = difference[i]! <= 0 ? 1 : 0;
      break;
    case '==':
      for (let i = 0; i < n; i++) out[i] = difference[i]! === 0 ? 1 : 0;
      break;
  }
  return out;
}
