import { z } from 'zod';
import { ParamRef } from './parameters-schema.js';
import { SESSION_NAMES, WEEKDAYS, type SessionName, type Weekday } from './sessions.js';

/**
 * A series the rules can read: a price source (`close`, `median`, ...), an indicator's only output
 * (`fast`) or one output of a multi-output indicator (`macd.signal`, `bands.upper`).
 */
export type SeriesName = string;

/** A series read `barsAgo` bars back: `{ "series": "channel.upper", "barsAgo": 1 }` is last bar's upper band. */
export const ShiftedSeries = z.strictObject({
  series: z.string().min(1),
  barsAgo: z.union([z.number().int().nonnegative(), ParamRef], {
    error: 'expected a whole number of bars >= 0 or a parameter reference {"param": name}',
  }),
});
export type ShiftedSeries = z.infer<typeof ShiftedSeries>;

// zod 4 numbers already refuse NaN and the infinities.
const finite = z.number();

/** One side of a comparison or crossing: a constant, a parameter, a series or a shifted series. */
export const Operand = z.union([finite, ParamRef, z.string().min(1), ShiftedSeries], {
  error:
    'expected a number, a parameter reference {"param": name}, a series name like "close", "fast" or "macd.signal", ' +
    'or {"series": name, "barsAgo": n}',
});
export type Operand = z.infer<typeof Operand>;

/**
 * How a crossing is recognised. `lastNonZero` (default): left crosses above right on a bar where
 * left > right now and the last non-zero difference (left - right) before this bar was negative, so
 * touching the line and coming back does not count, and touching then going through counts once.
 * This is backtrader's CrossOver. `previousBar`: left <= right on the previous bar and left > right
 * now, the common textbook rule, which fires again after a touch-and-bounce. See docs/backtest.md.
 */
export const CROSS_RULES = ['lastNonZero', 'previousBar'] as const;
export type CrossRule = (typeof CROSS_RULES)[number];

export const COMPARISON_OPERATORS = ['>', '>=', '<', '<=', '=='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

const clockTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a UTC time "HH:MM" between 00:00 and 24:00');

/** Zod cannot infer a recursive type, so the condition tree is declared here and the schema checked against it. */
export type Condition =
  | { op: 'crossAbove' | 'crossBelow'; left: Operand; right: Operand; rule?: CrossRule | undefined }
  | { op: ComparisonOperator; left: Operand; right: Operand }
  | { op: 'and'; all: Condition[] }
  | { op: 'or'; any: Condition[] }
  | { op: 'not'; condition: Condition }
  | { op: 'flag'; param: string }
  | { op: 'weekday'; days: Weekday[] }
  | { op: 'hours'; from: string; to: string }
  | { op: 'session'; sessions: SessionName[] };

const crossing = (op: 'crossAbove' | 'crossBelow') =>
  z.strictObject({ op: z.literal(op), left: Operand, right: Operand, rule: z.enum(CROSS_RULES).optional() });
const comparison = (op: ComparisonOperator) => z.strictObject({ op: z.literal(op), left: Operand, right: Operand });

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('op', [
    crossing('crossAbove'),
    crossing('crossBelow'),
    ...COMPARISON_OPERATORS.map(comparison),
    z.strictObject({ op: z.literal('and'), all: z.array(Condition).min(1) }),
    z.strictObject({ op: z.literal('or'), any: z.array(Condition).min(1) }),
    z.strictObject({ op: z.literal('not'), condition: Condition }),
    /** A bool parameter as a condition: lets a trader switch a filter on or off. */
    z.strictObject({ op: z.literal('flag'), param: z.string().min(1) }),
    /** True on bars that open on one of these UTC weekdays. */
    z.strictObject({ op: z.literal('weekday'), days: z.array(z.enum(WEEKDAYS)).min(1) }),
    /** True on bars that open in [from, to) UTC; from > to wraps midnight (22:00-06:00). */
    z.strictObject({ op: z.literal('hours'), from: clockTime, to: clockTime }),
    /** True on bars that open inside any of the named sessions (sessions.ts). */
    z.strictObject({ op: z.literal('session'), sessions: z.array(z.enum(SESSION_NAMES as [SessionName, ...SessionName[]])).min(1) }),
  ]),
);

/** When to enter and leave a position on one side; without `exit` only stops, targets and reversals close it. */
export const SideRules = z.strictObject({ entry: Condition, exit: Condition.optional() });
export type SideRules = z.infer<typeof SideRules>;
