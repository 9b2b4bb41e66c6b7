/**
 * Numbers and categories read back out of a text, so trades that are alike in size, time and outcome
 * sit closer than their words alone would put them. The embedder only sees text, so the cues are
 * phrases our chunk texts use (and a question may use): `net -15.00`, `held 1h 15m`, `14:05`,
 * `2025-03-04`, weekday names, buy/sell, win/loss words. Pure; no cue found leaves its slot at zero.
 */

/** How many slots the cues take at the end of the vector. */
export const NUMERIC_SLOTS = 16;

const SLOT = {
  pnl: 0,
  win: 1,
  loss: 2,
  duration: 3,
  hourSin: 4,
  hourCos: 5,
  weekday: 6, // 6..12, Monday first
  buy: 13,
  sell: 14,
  stopLoss: 15,
} as const;

const PNL = /\bnet (?:p&l )?([+-]?\d[\d,]*(?:\.\d+)?)/;
const DURATION = /\b(?:held|after|duration|lasted)\s+(?:(\d+)d\s*)?(?:(\d+)h\s*)?(?:(\d+)m\b)?/;
const CLOCK = /\b([01]?\d|2[0-3]):([0-5]\d)\b/;
const DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/;
const WEEKDAY = /\b(mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?s?\b/;
const WIN = /\b(?:win|wins|won|winning|winner|winners|profit|profitable)\b/;
const LOSS = /\b(?:loss|losses|lost|losing|loser|losers)\b/;
const BUY = /\b(?:buy|buys|long|longs|bought)\b/;
const SELL = /\b(?:sell|sells|short|shorts|sold)\b/;
const STOP_LOSS = /\bstop(?:ped out| loss|-loss|s)\b/;

const WEEKDAY_INDEX: Record<string, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };
const LOG_MONEY = Math.log1p(10_000);
const LOG_MINUTES = Math.log1p(30 * 24 * 60);

/** Writes the cues of `lowered` (already lower-cased) into out[0, NUMERIC_SLOTS). */
export function numericCues(lowered: string, out: Float32Array): void {
  const pnl = PNL.exec(lowered);
  if (pnl) {
    const x = Number(pnl[1]!.replace(/,/g, ''));
    if (Number.isFinite(x) && x !== 0) out[SLOT.pnl] = Math.sign(x) * Math.min(1, Math.log1p(Math.abs(x)) / LOG_MONEY);
  }
  if (WIN.test(lowered)) out[SLOT.win] = 1;
  if (LOSS.test(lowered)) out[SLOT.loss] = 1;
  const d = DURATION.exec(lowered);
  if (d && (d[1] || d[2] || d[3])) {
    const minutes = Number(d[1] ?? 0) * 1440 + Number(d[2] ?? 0) * 60 + Number(d[3] ?? 0);
    out[SLOT.duration] = Math.min(1, Math.log1p(minutes) / LOG_MINUTES);
  }
  const clock = CLOCK.exec(lowered);
  if (clock) {
    const angle = (2 * Math.PI * (Number(clock[1]) + Number(clock[2]) / 60)) / 24;
    out[SLOT.hourSin] = Math.sin(angle);
    out[SLOT.hourCos] = Math.cos(angle);
  }
  const weekday = weekdayOf(lowered);
  if (weekday !== undefined) out[SLOT.weekday + weekday] = 1;
  if (BUY.test(lowered)) out[SLOT.buy] = 1;
  if (SELL.test(lowered)) out[SLOT.sell] = 1;
  if (STOP_LOSS.test(lowered)) out[SLOT.stopLoss] = 1;
}

/** A weekday named in the text wins; otherwise the weekday of the first ISO date, in UTC. */
function weekdayOf(lowered: string): number | undefined {
  const named = WEEKDAY.exec(lowered);
  if (named) return WEEKDAY_INDEX[named[1]!];
  const date = DATE.exec(lowered);
  if (!date) return undefined;
  const t = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
  if (!Number.isFinite(t)) return undefined;
  return (new Date(t).getUTCDay() + 6) % 7;
}
