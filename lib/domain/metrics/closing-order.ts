/**
 * Trade indices in closing order, or null when the columns are already in it (the usual case: the
 * engine and every cTrader export list trades as they close), so the common path costs one scan and
 * no allocation. Ties keep their input order.
 */
export function closingOrder(exitTime: Float64Array): Uint32Array | null {
  let sorted = true;
  for (let i = 1; i < exitTime.length && sorted; i++) sorted = exitTime[i - 1]! <= exitTime[i]!;
  if (sorted) return null;
  const order = Uint32Array.from({ length: exitTime.length }, (_, i) => i);
  return order.sort((a, b) => exitTime[a]! - exitTime[b]! || a - b);
}
