import { SEQUENCE_METRICS, zoneOffsetMinutes, type Filters, type Grouping, type Metric, type Plan } from './plan-schema.js';
import { DURATION_BUCKETS, SESSION_BUCKETS, SIZE_BUCKETS, sessionWindow } from './windows.js';

/**
 * SQL from a validated plan, and only from it: column names and expressions come from the tables in
 * this file, chosen by enumerated plan values; every value is a bound parameter. The backtest id is
 * always `$1` and every statement is scoped by `backtest_id = $1`, so no plan reaches another
 * backtest's rows. Money is summed as numeric and read back as text: exact decimals.
 */

export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

class Params {
  readonly values: unknown[];
  constructor(backtestId: string) {
    this.values = [backtestId];
  }
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/** Base aggregates; a metric asks for the ones it needs, so a question costs only what it reads. */
const AGGREGATES = {
  n: 'count(*)::int',
  wins: 'count(*) filter (where net > 0)::int',
  losses: 'count(*) filter (where net < 0)::int',
  net: 'sum(net)::text',
  gross_profit: 'coalesce(sum(net) filter (where net > 0), 0)::text',
  gross_loss: 'coalesce(sum(net) filter (where net < 0), 0)::text',
  win_rate: 'round(100.0 * count(*) filter (where net > 0) / nullif(count(*), 0), 2)::text',
  profit_factor:
    'round(coalesce(sum(net) filter (where net > 0), 0) / nullif(-coalesce(sum(net) filter (where net < 0), 0), 0), 2)::text',
  average_trade: 'round(avg(net), 2)::text',
  average_win: 'round(avg(net) filter (where net > 0), 2)::text',
  average_loss: 'round(avg(net) filter (where net < 0), 2)::text',
  timed: 'count(entry_time)::int',
  average_duration: 'round(avg(extract(epoch from exit_time - entry_time)) / 60, 1)::text',
  max_duration: 'round(max(extract(epoch from exit_time - entry_time)) / 60, 1)::text',
  largest_win: '(max(net) filter (where net > 0))::text',
  largest_loss: '(min(net) filter (where net < 0))::text',
  commission: 'sum(commission)::text',
  commission_known: 'count(commission)::int',
  swap: 'sum(swap)::text',
  swap_known: 'count(swap)::int',
  mean_net: 'avg(net)::float8',
  sd_net: 'stddev_samp(net)::float8',
  sum_net_f: 'sum(net)::float8',
  sum_sq_net: 'sum(net * net)::float8',
} as const;
export type Aggregate = keyof typeof AGGREGATES;

const NEEDS: Record<Exclude<Metric, 'max_drawdown' | 'max_consecutive_wins' | 'max_consecutive_losses'>, Aggregate[]> = {
  count: ['n'],
  net: ['net'],
  gross_profit: ['gross_profit'],
  gross_loss: ['gross_loss'],
  win_rate: ['win_rate', 'wins'],
  profit_factor: ['profit_factor', 'gross_profit', 'gross_loss'],
  average_trade: ['average_trade'],
  expectancy: ['average_trade'],
  average_win: ['average_win', 'wins'],
  average_loss: ['average_loss', 'losses'],
  average_duration: ['average_duration', 'timed'],
  max_duration: ['max_duration', 'timed'],
  largest_win: ['largest_win'],
  largest_loss: ['largest_loss'],
  commission: ['commission', 'commission_known'],
  swap: ['swap', 'swap_known'],
};

export function aggregatesFor(metrics: readonly Metric[], extra: Aggregate[] = []): Aggregate[] {
  const set = new Set<Aggregate>(['n', ...extra]);
  for (const m of metrics) if (!SEQUENCE_METRICS.has(m)) for (const a of NEEDS[m as keyof typeof NEEDS]) set.add(a);
  return (Object.keys(AGGREGATES) as Aggregate[]).filter((a) => set.has(a));
}

/** The instant a trade is placed in time by: its entry (falling back to its exit when unknown) or its exit. */
function instant(plan: Plan): string {
  return plan.timeBasis === 'exit' ? 'exit_time' : 'coalesce(entry_time, exit_time)';
}

/** The plan's local wall-clock timestamp of that instant. */
function localTime(plan: Plan, p: Params): string {
  const t = instant(plan);
  const offset = zoneOffsetMinutes(plan.zone);
  if (offset === 0) return `(${t} at time zone 'UTC')`;
  if (offset !== undefined) return `((${t} at time zone 'UTC') + make_interval(mins => ${p.add(offset, 'int')}))`;
  return `(${t} at time zone ${p.add(plan.zone, 'text')})`;
}

// date_part returns double precision; extract returns numeric, 20 % slower over 1M rows when this
// was written (a one-off comparison, not kept as a benchmark).
const minuteOf = (local: string) => `(date_part('hour', ${local})::int * 60 + date_part('minute', ${local})::int)`;

function windowCondition(minute: string, from: number, to: number, p: Params): string {
  if (from === to) return 'true';
  if (from < to) return `(${minute} >= ${p.add(from, 'int')} and ${minute} < ${p.add(to, 'int')})`;
  return `(${minute} >= ${p.add(from, 'int')} or ${minute} < ${p.add(to, 'int')})`;
}

const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** WHERE conditions for the plan's filters, always led by the backtest scope. */
export function whereClause(plan: Plan, p: Params, local: string): string {
  const f: Filters = plan.filters;
  const c: string[] = ['backtest_id = $1'];
  if (f.symbols.length > 0) c.push(`symbol = any(${p.add(f.symbols, 'text[]')})`);
  if (f.direction) c.push(`direction = ${p.add(f.direction, 'text')}`);
  if (f.from) c.push(`${local} >= ${p.add(f.from, 'timestamp')}`);
  if (f.to) c.push(`${local} < ${p.add(f.to, 'timestamp')}`);
  if (f.weekdays.length > 0) c.push(`date_part('isodow', ${local})::int = any(${p.add(f.weekdays, 'int[]')})`);
  const minute = minuteOf(local);
  if (f.timeOfDay) c.push(windowCondition(minute, hm(f.timeOfDay.from), hm(f.timeOfDay.to) % 1440, p));
  if (f.sessions.length > 0) {
    c.push(`(${f.sessions.map((s) => sessionWindow(s)).map((w) => windowCondition(minute, w.from, w.to % 1440, p)).join(' or ')})`);
  }
  if (f.outcome === 'win') c.push('net > 0');
  if (f.outcome === 'loss') c.push('net < 0');
  if (f.closeReasons.length > 0) c.push(`close_reason = any(${p.add(f.closeReasons, 'text[]')})`);
  return c.join(' and ');
}

/** The group key of a grouping, as a SQL expression (ints for ordered time keys, text otherwise). */
export function groupKey(g: Grouping, local: string, p: Params): string {
  switch (g) {
    case 'weekday':
      return `date_part('isodow', ${local})::int`;
    case 'hour':
      return `date_part('hour', ${local})::int`;
    case 'session': {
      const minute = minuteOf(local);
      const arms = SESSION_BUCKETS.map((b) => `when ${minute} < ${p.add(b.to, 'int')} then ${p.add(b.key, 'text')}`);
      return `(case ${arms.join(' ')} end)`;
    }
    case 'day':
      return `to_char(${local}, 'YYYY-MM-DD')`;
    case 'month':
      return `to_char(${local}, 'YYYY-MM')`;
    case 'year':
      return `to_char(${local}, 'YYYY')`;
    case 'symbol':
      return 'symbol';
    case 'direction':
      return 'direction';
    case 'close_reason':
      return 'close_reason';
    case 'size_bucket': {
      const arms = SIZE_BUCKETS.filter((b) => Number.isFinite(b.max)).map((b) => `when quantity <= ${p.add(b.max, 'numeric')} then ${p.add(b.key, 'text')}`);
      return `(case when quantity is null then 'unknown' ${arms.join(' ')} else ${p.add(SIZE_BUCKETS.at(-1)!.key, 'text')} end)`;
    }
    case 'duration_bucket': {
      const minutes = '(extract(epoch from exit_time - entry_time) / 60)';
      const arms = DURATION_BUCKETS.filter((b) => Number.isFinite(b.maxMinutes)).map(
        (b) => `when ${minutes} < ${p.add(b.maxMinutes, 'numeric')} then ${p.add(b.key, 'text')}`,
      );
      return `(case when entry_time is null then 'unknown' ${arms.join(' ')} else ${p.add(DURATION_BUCKETS.at(-1)!.key, 'text')} end)`;
    }
  }
}

function begin(backtestId: string, plan: Plan) {
  const p = new Params(backtestId);
  const local = localTime(plan, p);
  const where = whereClause(plan, p, local);
  const key = plan.groupBy ? groupKey(plan.groupBy, local, p) : null;
  return { p, local, where, key };
}

const CALENDAR: Partial<Record<Grouping, [string, string]>> = { day: ['day', 'YYYY-MM-DD'], month: ['month', 'YYYY-MM'], year: ['year', 'YYYY'] };

/** One row per group (or one row) with the aggregates the metrics need. */
export function buildAggregateQuery(backtestId: string, plan: Plan, aggregates: Aggregate[]): BuiltQuery {
  const { p, local, where, key } = begin(backtestId, plan);
  const select = aggregates.map((a) => `${AGGREGATES[a]} as ${a}`);
  if (!key) return { sql: `select ${select.join(', ')} from trades where ${where}`, params: p.values };
  // Calendar groups: grouping on date_trunc and formatting only the groups cost a third of to_char per
  // row when this was written (a one-off comparison, not kept as a benchmark).
  const calendar = plan.groupBy ? CALENDAR[plan.groupBy] : undefined;
  if (calendar) {
    const trunc = `date_trunc('${calendar[0]}', ${local})`;
    return { sql: `select to_char(${trunc}, '${calendar[1]}') as key, ${select.join(', ')} from trades where ${where} group by ${trunc}`, params: p.values };
  }
  return { sql: `select ${key} as key, ${select.join(', ')} from trades where ${where} group by 1`, params: p.values };
}

/**
 * The same aggregates over the ingest's per-day or per-hour rollups instead of the trades: sums of
 * sums, divided and rounded exactly as above, so the answer is the same and a million trades cost a
 * few hundred rows. Duration aggregates need every trade and are not here.
 */
const ROLLUP_AGGREGATES: Partial<Record<Aggregate, string>> = {
  n: 'sum(n)::int',
  wins: 'sum(wins)::int',
  losses: 'sum(losses)::int',
  net: 'sum(net)::text',
  gross_profit: 'sum(gross_profit)::text',
  gross_loss: 'sum(gross_loss)::text',
  win_rate: 'round(100.0 * sum(wins) / nullif(sum(n), 0), 2)::text',
  profit_factor: 'round(sum(gross_profit) / nullif(-sum(gross_loss), 0), 2)::text',
  average_trade: 'round(sum(net) / nullif(sum(n), 0), 2)::text',
  average_win: 'round(sum(gross_profit) / nullif(sum(wins), 0), 2)::text',
  average_loss: 'round(sum(gross_loss) / nullif(sum(losses), 0), 2)::text',
  largest_win: 'max(largest_win)::text',
  largest_loss: 'min(largest_loss)::text',
  commission: 'sum(commission)::text',
  commission_known: 'sum(commission_known)::int',
  swap: 'sum(swap)::text',
  swap_known: 'sum(swap_known)::int',
  mean_net: '(sum(net) / nullif(sum(n), 0))::float8',
  sum_net_f: 'sum(net)::float8',
  sum_sq_net: 'sum(sum_sq_net)::float8',
};

const DAY_KEYS: Partial<Record<Grouping, string>> = {
  weekday: "date_part('isodow', key::date)::int",
  day: 'key',
  month: 'left(key, 7)',
  year: 'left(key, 4)',
};
const SESSIONS_ON_THE_HOUR = SESSION_BUCKETS.every((b) => b.from % 60 === 0 && b.to % 60 === 0);

/**
 * Which rollup can answer the plan, if any: it must cover the whole backtest (no filters), group by
 * UTC calendar or hour windows of the entry time, and need only additive aggregates.
 */
export function rollupGrainFor(plan: Plan, aggregates: Aggregate[]): 'day' | 'hour' | undefined {
  if (!coversWholeBacktest(plan) || plan.timeBasis !== 'entry' || zoneOffsetMinutes(plan.zone) !== 0) return undefined;
  if (!aggregates.every((a) => ROLLUP_AGGREGATES[a] !== undefined)) return undefined;
  if (plan.groupBy === null || DAY_KEYS[plan.groupBy] !== undefined) return 'day';
  if (plan.groupBy === 'hour' || (plan.groupBy === 'session' && SESSIONS_ON_THE_HOUR)) return 'hour';
  return undefined;
}

/** True when the plan's filters select every trade of the backtest. */
export function coversWholeBacktest(plan: Plan): boolean {
  const f = plan.filters;
  return (
    f.symbols.length === 0 && f.direction === null && f.from === null && f.to === null && f.weekdays.length === 0 &&
    f.timeOfDay === null && f.sessions.length === 0 && f.outcome === null && f.closeReasons.length === 0
  );
}

export function buildRollupQuery(backtestId: string, plan: Plan, aggregates: Aggregate[], grain: 'day' | 'hour'): BuiltQuery {
  const p = new Params(backtestId);
  const select = aggregates.map((a) => `${ROLLUP_AGGREGATES[a]!} as ${a}`).join(', ');
  const from = `from trade_rollups where backtest_id = $1 and grain = ${p.add(grain, 'text')}`;
  if (!plan.groupBy) return { sql: `select ${select} ${from}`, params: p.values };
  let key: string;
  if (grain === 'day') key = DAY_KEYS[plan.groupBy]!;
  else if (plan.groupBy === 'hour') key = 'key::int';
  else key = `(case ${SESSION_BUCKETS.map((b) => `when key::int * 60 < ${p.add(b.to, 'int')} then ${p.add(b.key, 'text')}`).join(' ')} end)`;
  return { sql: `select ${key} as key, ${select} ${from} group by 1`, params: p.values };
}

/** The single trade with the lowest (largest loss) or highest (largest win) net among the filtered trades. */
export function buildExtremeTradeQuery(backtestId: string, plan: Plan, which: 'largest_loss' | 'largest_win'): BuiltQuery {
  const { p, where } = begin(backtestId, plan);
  // Qualified: the select list's text alias `net` would otherwise order as text.
  const order = which === 'largest_loss' ? 'trades.net asc' : 'trades.net desc';
  const sign = which === 'largest_loss' ? 'net < 0' : 'net > 0';
  return {
    sql: `select source_id, symbol, direction, entry_time, exit_time, net::text as net, close_reason from trades
          where ${where} and ${sign} order by ${order}, exit_time, seq limit 1`,
    params: p.values,
  };
}

/**
 * Maximum drawdown of the cumulative net in closing order (per group), from a start of 0 that counts
 * as the first peak, exact in numeric. Also the deepest fall relative to the peak balance when the
 * starting balance is known, and when the peak and the trough of the largest fall were.
 */
export function buildDrawdownQuery(backtestId: string, plan: Plan, startingBalance: string | null): BuiltQuery {
  const { p, where, key } = begin(backtestId, plan);
  const start = startingBalance === null ? 'null::numeric' : p.add(startingBalance, 'numeric');
  // Ungrouped (the usual question): no partition, so the three windows share one sort, and the
  // deepest point is a top-1 rather than a second sort of every row.
  const k = key ?? `'all'`;
  const part = key ? `partition by ${key} ` : '';
  const partK = key ? 'partition by k ' : '';
  const sql = `
    with s as (
      select ${k} as k, exit_time, seq, sum(net) over (${part}order by exit_time, seq rows unbounded preceding) as cum
      from trades where ${where}
    ), q as (
      select k, exit_time, seq, cum, greatest(max(cum) over w, 0) as peak from s
      window w as (${partK}order by exit_time, seq rows unbounded preceding)
    ), r as (
      select k, exit_time, seq, cum, peak, peak - cum as dd,
        max(case when cum = peak then exit_time end) over (${partK}order by exit_time, seq rows unbounded preceding) as peak_at
      from q
    ), best as (
      ${key ? 'select distinct on (k) k, dd, exit_time as trough_at, peak_at, peak, cum from r order by k, dd desc, exit_time, seq' : 'select k, dd, exit_time as trough_at, peak_at, peak, cum from r order by dd desc, exit_time, seq limit 1'}
    ), pct as (
      select k, max(case when ${start} + peak > 0 then (peak - cum) / (${start} + peak) end) as dd_pct from r group by k
    )
    select best.k as key, best.dd::text as dd, best.trough_at, best.peak_at,
      round(100 * (best.dd / nullif(${start} + best.peak, 0)), 2)::text as dd_pct_at_max,
      round(100 * pct.dd_pct, 2)::text as dd_pct
    from best join pct using (k)`;
  return { sql, params: p.values };
}

/**
 * Longest runs of winners and of losers in closing order (per group); a breakeven trade ends both.
 * One ordering serves both windows (a run starts where the sign changes), so the rows are sorted once.
 */
export function buildStreakQuery(backtestId: string, plan: Plan): BuiltQuery {
  const { p, where, key } = begin(backtestId, plan);
  const k = key ?? `'all'`;
  const part = key ? 'partition by k ' : '';
  const sql = `
    with s as (
      select ${k} as k, exit_time, seq, net, sign(net)::int as sg from trades where ${where}
    ), c as (
      select k, exit_time, seq, net, sg, lag(sg) over (${part}order by exit_time, seq) as prev from s
    ), i as (
      select k, exit_time, net, sg,
        sum(case when prev is distinct from sg then 1 else 0 end) over (${part}order by exit_time, seq rows unbounded preceding) as island
      from c
    ), runs as (
      select k, sg, count(*)::int as len, min(exit_time) as first_at, max(exit_time) as last_at, sum(net)::text as total
      from i where sg <> 0 group by k, sg, island
    )
    select distinct on (k, sg) k as key, sg, len, first_at, last_at, total from runs order by k, sg, len desc, first_at`;
  return { sql, params: p.values };
}

/** Per-trade rows for one trade id (citations, "trades like #1234"). */
export function buildTradeByIdQuery(backtestId: string, tradeId: string): BuiltQuery {
  return {
    sql: `select seq, source_id, symbol, direction, quantity::text as quantity, entry_time, exit_time, entry_price, exit_price,
            net::text as net, pips, close_reason from trades where backtest_id = $1 and source_id = $2 order by seq limit 1`,
    params: [backtestId, tradeId],
  };
}

/**
 * Nearest trades to one trade by plain features (same symbol and direction first, then closeness of
 * entry hour, holding time, size and result); the fallback for "trades like #1234" when no vector
 * store is available, and a cross-check when one is.
 */
export function buildFeatureNeighboursQuery(backtestId: string, tradeId: string, k: number): BuiltQuery {
  const sql = `
    with t as (select * from trades where backtest_id = $1 and source_id = $2 order by seq limit 1)
    select o.source_id, o.symbol, o.direction, o.entry_time, o.exit_time, o.net::text as net, o.close_reason,
      round((
        (case when o.symbol = t.symbol then 0 else 4 end)
        + (case when o.direction = t.direction then 0 else 2 end)
        + least(abs(extract(hour from coalesce(o.entry_time, o.exit_time) at time zone 'UTC') - extract(hour from coalesce(t.entry_time, t.exit_time) at time zone 'UTC')),
                24 - abs(extract(hour from coalesce(o.entry_time, o.exit_time) at time zone 'UTC') - extract(hour from coalesce(t.entry_time, t.exit_time) at time zone 'UTC'))) / 6.0
        + coalesce(abs(ln(greatest(extract(epoch from o.exit_time - o.entry_time), 1) / greatest(extract(epoch from t.exit_time - t.entry_time), 1))), 1)::numeric
        + (case when sign(o.net) = sign(t.net) then 0 else 1 end)
        + coalesce(abs(ln(o.quantity / nullif(t.quantity, 0)))::numeric, 0)
      )::numeric, 3)::text as distance
    from trades o, t
    where o.backtest_id = $1 and o.seq <> t.seq
    order by 8 asc, o.exit_time, o.seq
    limit $3::int`;
  return { sql, params: [backtestId, tradeId, k] };
}
