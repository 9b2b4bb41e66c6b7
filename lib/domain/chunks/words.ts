import type { CloseReason } from '../trade.js';

/**
 * How chunk texts say things: money with its sign and currency, UTC times, durations, weekdays and
 * close reasons in words. One place, so every chunk reads alike and the local embedder's numeric cues
 * (`net -15.00`, `after 1h 15m`, `14:05`, weekday names) find what they look for.
 */

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const DAY_MS = 86_400_000;

/** `+12.50 USD`, `-3.00 USD`; no currency when the account's is unknown. */
export function money(x: number, currency: string | null): string {
  const sign = x > 0 ? '+' : x < 0 ? '-' : '';
  const text = `${sign}${Math.abs(x).toFixed(2)}`;
  return currency ? `${text} ${currency}` : text;
}

/** `2025-03-04 14:05 UTC`. */
export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2025-03-04`. */
export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** Monday = 0. */
export const weekdayIndex = (ms: number): number => (new Date(ms).getUTCDay() + 6) % 7;

export const weekday = (ms: number): string => WEEKDAYS[weekdayIndex(ms)]!;

export const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** Monday 00:00 UTC of the ISO week holding `ms`. */
export const startOfIsoWeek = (ms: number): number => startOfUtcDay(ms) - weekdayIndex(ms) * DAY_MS;

/** ISO 8601 week label, `2025-W10` (the week belongs to the year of its Thursday). */
export function isoWeek(ms: number): string {
  const thursday = startOfIsoWeek(ms) + 3 * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export { DAY_MS };

/** `2d 3h 5m`, `1h 15m`, `45m`, `0m`. */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m`;
}

/** Night (00–06), morning (06–12), afternoon (12–18), evening (18–24), by the UTC hour. */
export function partOfDay(ms: number): string {
  const h = new Date(ms).getUTCHours();
  return h < 6 ? 'night' : h < 12 ? 'morning' : h < 18 ? 'afternoon' : 'evening';
}

export const REASON_WORDS: Record<CloseReason, string> = {
  stop_loss: 'stop loss',
  take_profit: 'take profit',
  trailing_stop: 'trailing stop',
  stop_out: 'margin stop-out',
  signal: 'strategy signal',
  manual: 'manual close',
  end_of_data: 'end of data',
  unknown: 'an unrecorded reason',
};

export const outcome = (net: number): 'win' | 'loss' | 'breakeven' => (net > 0 ? 'win' : net < 0 ? 'loss' : 'breakeven');

export const percent = (part: number, whole: number): string => (whole === 0 ? '0.0%' : `${((100 * part) / whole).toFixed(1)}%`);

/** A price as the source gave it, without float noise (`1.0845`, not `1.0845000000000002`). */
export const price = (x: number): string => String(Number(x.toPrecision(10)));

