import { z } from 'zod';
import { CLOSE_REASONS, DIRECTIONS } from '../domain/trade.js';

/**
 * The analytic plan a question becomes. The deterministic parser and an LLM both produce it; the same
 * schema validates both, and the SQL is built only from a plan that passed it. Every value that reaches
 * SQL is either an enumerated name (mapped to a fixed expression) or a bound parameter.
 */

export const METRICS = [
  'count',
  'net',
  'gross_profit',
  'gross_loss',
  'win_rate',
  'profit_factor',
  'average_trade',
  'average_win',
  'average_loss',
  'expectancy',
  'average_duration',
  'max_duration',
  'largest_win',
  'largest_loss',
  'commission',
  'swap',
  'max_drawdown',
  'max_consecutive_wins',
  'max_consecutive_losses',
] as const;
export const Metric = z.enum(METRICS);
export type Metric = z.infer<typeof Metric>;

/** Metrics that depend on the order trades closed in; computed over the closing sequence, not by GROUP BY. */
export const SEQUENCE_METRICS: ReadonlySet<Metric> = new Set(['max_drawdown', 'max_consecutive_wins', 'max_consecutive_losses']);

export const GROUPINGS = ['weekday', 'hour', 'session', 'day', 'month', 'year', 'symbol', 'direction', 'size_bucket', 'duration_bucket', 'close_reason'] as const;
export const Grouping = z.enum(GROUPINGS);
export type Grouping = z.infer<typeof Grouping>;

export const SESSION_FILTERS = ['asia', 'london', 'new_york'] as const;
export const SessionFilter = z.enum(SESSION_FILTERS);
export type SessionFilter = z.infer<typeof SessionFilter>;

const HhMm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM from 00:00 to 24:00');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'a real date');
const SymbolName = z.string().regex(/^[A-Za-z0-9._#/-]{1,32}$/, 'a symbol name');
const TradeId = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'a trade id');

/**
 * A time zone: `UTC`, a fixed offset `UTC+2` / `UTC-05:30`, or an IANA name (`America/New_York`).
 * Applied to every time grouping and time filter of the plan.
 */
export const Zone = z
  .string()
  .max(64)
  .refine((z) => zoneOffsetMinutes(z) !== undefined || isIanaZone(z), 'UTC, UTC+N or an IANA zone name');

export const Filters = z
  .object({
    symbols: z.array(SymbolName).max(50).default([]),
    direction: z.enum(DIRECTIONS).nullable().default(null),
    /** Inclusive first local date (in the plan's zone). */
    from: IsoDate.nullable().default(null),
    /** Exclusive end local date. */
    to: IsoDate.nullable().default(null),
    /** ISO weekdays 1 (Monday) to 7 (Sunday). */
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).default([]),
    /** Local time-of-day window: from inclusive, to exclusive; wraps past midnight when from > to. */
    timeOfDay: z.object({ from: HhMm, to: HhMm }).strict().nullable().default(null),
    sessions: z.array(SessionFilter).max(3).default([]),
    outcome: z.enum(['win', 'loss']).nullable().default(null),
    closeReasons: z.array(z.enum(CLOSE_REASONS)).max(CLOSE_REASONS.length).default([]),
  })
  .strict();
export type Filters = z.infer<typeof Filters>;

export const INTENTS = ['aggregate', 'avoid', 'similar', 'unanswerable'] as const;

export const Plan = z
  .object({
    /**
     * aggregate: metrics, optionally per group, optionally ranked. avoid: the losing windows of a grouping
     * (weekday by default) with counts and a sample caveat. similar: neighbours of one trade.
     * unanswerable: the data cannot answer; `unanswerable` says why.
     */
    intent: z.enum(INTENTS),
    metrics: z.array(Metric).min(1).max(10),
    groupBy: Grouping.nullable().default(null),
    filters: Filters.default(Filters.parse({})),
    /** Keep the best or worst `limit` groups by `by` (best = highest, except for costs and losses where it is the least bad). */
    rank: z
      .object({ by: Metric, order: z.enum(['best', 'worst']), limit: z.number().int().min(1).max(100) })
      .strict()
      .nullable()
      .default(null),
    /** Which clock groups and filters read: when the trade was opened (default) or closed. */
    timeBasis: z.enum(['entry', 'exit']).default('entry'),
    zone: Zone.default('UTC'),
    /** Groups with fewer trades than this are flagged as too small to trust. */
    minSample: z.number().int().min(1).max(10_000).default(30),
    /** For `similar`: the source id of the trade ("#1234"). */
    tradeId: TradeId.nullable().default(null),
    /** For `unanswerable`: what is missing, in words. */
    reason: z.string().max(300).nullable().default(null),
  })
  .strict();
export type Plan = z.infer<typeof Plan>;
export type PlanInput = z.input<typeof Plan>;

/** Minutes east of UTC for `UTC`, `GMT`, `UTC+2`, `UTC-05:30`; undefined for anything else. */
export function zoneOffsetMinutes(zone: string): number | undefined {
  if (/^(?:UTC|GMT|Z)$/i.test(zone)) return 0;
  const m = /^(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

export function isIanaZone(zone: string): boolean {
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A plan from partial fields (parser convenience): defaults filled, validated. */
export function makePlan(input: PlanInput): Plan {
  return Plan.parse(input);
}
