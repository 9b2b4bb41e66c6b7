const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** 1970-01-01 was a Thursday (weekday 4 with Sunday = 0). */
const EPOCH_WEEKDAY = 4;

export interface BarClock {
  /** Minutes after UTC midnight of each bar's open time, 0-1439. */
  minuteOfDay: Uint16Array;
  /** UTC weekday of each bar's open time, 0 = Sunday. */
  weekday: Uint8Array;
}

/** Time-of-day columns for the time filters, from bar open times (UTC ms). */
export function barClock(time: Float64Array): BarClock {
  const minuteOfDay = new Uint16Array(time.length);
  const weekday = new Uint8Array(time.length);
  for (let i = 0; i < time.length; i++) {
    const t = time[i]!;
    minuteOfDay[i] = positiveModulo(Math.floor(t / MINUTE_MS), 1440);
    weekday[i] = positiveModulo(Math.floor(t / DAY_MS) + EPOCH_WEEKDAY, 7);
  }
  return { minuteOfDay, weekday };
}

function positiveModulo(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
