/**
 * Rounds money to the deposit currency's decimals, removing float noise such as 426.96999999999997.
 * Halves round away from zero, as account statements do; never returns -0.
 */
export function roundMoney(value: number, digits: number): number {
  const factor = 10 ** digits;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
  return rounded === 0 ? 0 : rounded;
}
