/**
 * Which trades get a chunk of their own, in closing order: all of them up to `max`; past that, the
 * trades a trader is most likely to ask about (the largest wins and losses, a tenth of the budget)
 * plus an even spread of the rest, so every stretch of the backtest keeps evidence. Deterministic.
 */
export function selectTradesForChunks(order: ArrayLike<number>, net: Float64Array, max: number): number[] {
  const n = order.length;
  if (n <= max) return Array.from(order);
  const chosen = new Uint8Array(net.length);
  const extremes = Math.floor(max / 10);
  const bySize = Array.from(order).sort((a, b) => Math.abs(net[b]!) - Math.abs(net[a]!) || a - b);
  for (let k = 0; k < extremes; k++) chosen[bySize[k]!] = 1;
  const spread = max - extremes;
  for (let k = 0; k < spread; k++) chosen[order[Math.floor((k * n) / spread)]!] = 1;
  const out: number[] = [];
  for (let k = 0; k < n; k++) if (chosen[order[k]!]) out.push(order[k]!);
  return out;
}
