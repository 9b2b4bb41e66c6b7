/**
 * Date-times as cTrader writes them: day first (`02/03/2026 14:47:44.584`), in the zone named only in
 * the column header (`Closing time (UTC+1)`). Bar files more often use ISO-like year-first stamps.
 * Every parser returns UTC milliseconds, or `undefined` for text that is not a real instant:
 * 31/02/2025 or 25:00 are refused, never rolled over into the next month or day.
 */

export const CTRADER_DATETIME_EXPECTED = 'a date-time DD/MM/YYYY HH:MM[:SS[.mmm]]';
export const ISO_DATETIME_EXPECTED = 'a date-time YYYY-MM-DD[ HH:MM[:SS[.mmm]]][Z|±HH:MM]';

/**
 * The zone a header declares, in minutes east of UTC: `(UTC+1)` → 60, `UTC-3` → -180, `UTC+5:30` → 330,
 * `UTC` → 0. `undefined` when the header names no zone.
 */
export function utcOffsetFromHeader(header: string): number | undefined {
  const m = /\b(?:UTC|GMT)(?:\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?)?(?![\w:])/i.exec(header);
  if (!m) return undefined;
  if (m[1] === undefined) return 0;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59) return undefined;
  const sign = m[1] === '+' ? 1 : -1;
  return sign * (hours * 60 + minutes);
}

/** `DD/MM/YYYY HH:MM:SS.mmm` (seconds and milliseconds optional; `.` or `-` also accepted between date parts). */
export function parseCtraderDateTime(text: string, utcOffsetMinutes: number): number | undefined {
  // Fast path for the layout cTrader always writes; a million rows hold two of these each.
  if (text.length === 23 && text.charCodeAt(2) === 47 && text.charCodeAt(5) === 47 && text.charCodeAt(10) === 32) {
    const day = digits(text, 0, 2);
    const month = digits(text, 3, 2);
    const year = digits(text, 6, 4);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    const milli = digits(text, 20, 3);
    if (text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58 && text.charCodeAt(19) === 46) {
      return toUtc(year, month, day, hour, minute, second, milli, utcOffsetMinutes);
    }
  }
  const m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?$/.exec(text.trim());
  if (!m) return undefined;
  return toUtc(
    Number(m[4]),
    Number(m[3]),
    Number(m[1]),
    m[5] === undefined ? 0 : Number(m[5]),
    m[6] === undefined ? 0 : Number(m[6]),
    m[7] === undefined ? 0 : Number(m[7]),
    fractionToMillis(m[8]),
    utcOffsetMinutes,
  );
}

/**
 * Year-first stamps: `2004-08-19`, `2017-04-19 09:00:00`, `2017-04-19T09:00:00.250Z`, `2017.04.19 09:00`.
 * A zone written in the value (`Z`, `+02:00`) wins over `utcOffsetMinutes`.
 */
export function parseIsoDateTime(text: string, utcOffsetMinutes: number): number | undefined {
  const m =
    /^(\d{4})([-./])(\d{1,2})\2(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const zone = m[9];
  const offset = zone === undefined ? utcOffsetMinutes : zoneSuffixMinutes(zone);
  return toUtc(
    Number(m[1]),
    Number(m[3]),
    Number(m[4]),
    m[5] === undefined ? 0 : Number(m[5]),
    m[6] === undefined ? 0 : Number(m[6]),
    m[7] === undefined ? 0 : Number(m[7]),
    fractionToMillis(m[8]),
    offset,
  );
}

/** Either layout, told apart by where the four-digit year stands. */
export function parseAnyDateTime(text: string, utcOffsetMinutes: number): number | undefined {
  const t = text.trim();
  return /^\d{4}/.test(t) ? parseIsoDateTime(t, utcOffsetMinutes) : parseCtraderDateTime(t, utcOffsetMinutes);
}

function toUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  milli: number,
  utcOffsetMinutes: number,
): number | undefined {
  if (year < 1970 || year > 2199 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0 || milli > 999) {
    return undefined;
  }
  const minutes = (daysSinceEpoch(year, month, day) * 24 + hour) * 60 + minute - utcOffsetMinutes;
  return (minutes * 60 + second) * 1000 + milli;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil); cheaper than Date.UTC per row. */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses `count` ASCII digits at `start`; -1 when any is not a digit, which every range check refuses. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** `.5` is half a second; digits past milliseconds are dropped, since trade times are whole milliseconds. */
function fractionToMillis(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Number(fraction.slice(0, 3).padEnd(3, '0'));
}

function zoneSuffixMinutes(zone: string): number {
  if (/^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const body = zone.slice(1).replace(':', '');
  return sign * (Number(body.slice(0, 2)) * 60 + (body.length > 2 ? Number(body.slice(2)) : 0));
}
