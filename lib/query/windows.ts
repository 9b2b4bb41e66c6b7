import { WEEKDAYS } from '../domain/chunks/words.js';
import { minuteOfDay, SESSIONS } from '../domain/strategy/sessions.js';
import type { SessionFilter } from './plan-schema.js';

/**
 * The windows questions group and filter by. Session hours come from the strategy module's SESSIONS
 * (one home); grouping needs buckets that do not overlap, so the overlap of London and New York is its
 * own bucket and Asia ends where London starts.
 */

/** A session filter is the whole session window (London 08:00-17:00 UTC), overlaps included. */
export function sessionWindow(s: SessionFilter): { from: number; to: number } {
  const def = s === 'asia' ? SESSIONS.asia : s === 'london' ? SESSIONS.london : SESSIONS.newYork;
  return { from: minuteOfDay(def.from), to: minuteOfDay(def.to) };
}

export const SESSION_LABELS: Record<SessionFilter, string> = { asia: 'Asia', london: 'London', new_york: 'New York' };

/** Non-overlapping session buckets over the UTC day, in order. */
export const SESSION_BUCKETS: { key: string; label: string; from: number; to: number }[] = (() => {
  const asia = minuteOfDay(SESSIONS.asia.from);
  const london = minuteOfDay(SESSIONS.london.from);
  const ny = minuteOfDay(SESSIONS.newYork.from);
  const londonEnd = minuteOfDay(SESSIONS.london.to);
  const nyEnd = minuteOfDay(SESSIONS.newYork.to);
  const b = (key: string, name: string, from: number, to: number) => ({ key, label: `${name} ${hhmm(from)}-${hhmm(to)}`, from, to });
  return [
    b('asia', 'Asia', asia, london),
    b('london', 'London', london, ny),
    b('london_new_york', 'London/New York overlap', ny, londonEnd),
    b('new_york', 'New York', londonEnd, nyEnd),
    b('off_hours', 'Off hours', nyEnd, 24 * 60),
  ];
})();

/** Monday first, as ISO weekday numbers count (WEEKDAY_NAMES[isodow - 1]). */
export const WEEKDAY_NAMES = WEEKDAYS;

/** Position size buckets in lots (upper bounds inclusive). */
export const SIZE_BUCKETS: { key: string; label: string; max: number }[] = [
  { key: 'le_0.1', label: '<= 0.1 lots', max: 0.1 },
  { key: 'le_0.5', label: '0.1-0.5 lots', max: 0.5 },
  { key: 'le_1', label: '0.5-1 lots', max: 1 },
  { key: 'gt_1', label: '> 1 lot', max: Infinity },
];

/** Holding-time buckets in minutes (upper bounds exclusive). */
export const DURATION_BUCKETS: { key: string; label: string; maxMinutes: number }[] = [
  { key: 'lt_15m', label: 'under 15 min', maxMinutes: 15 },
  { key: 'lt_1h', label: '15-60 min', maxMinutes: 60 },
  { key: 'lt_4h', label: '1-4 h', maxMinutes: 240 },
  { key: 'lt_1d', label: '4-24 h', maxMinutes: 1440 },
  { key: 'ge_1d', label: '1 day or more', maxMinutes: Infinity },
];

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The ISO date `days` after an ISO date (UTC). */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
