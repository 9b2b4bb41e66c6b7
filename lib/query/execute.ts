import type { Store } from '../ports/store.js';
import type { IngestSummary } from '../domain/ingest/summary.js';
import { isoOf, money, type Cell, type Citations, type Facts, type TradeCitation } from './facts.js';
import type { Grouping, Metric, Plan } from './plan-schema.js';
import { describeScope } from './scope.js';
import {
  aggregatesFor,
  buildAggregateQuery,
  buildDrawdownQuery,
  buildExtremeTradeQuery,
  buildFeatureNeighboursQuery,
  buildStreakQuery,
  buildRollupQuery,
  buildTradeByIdQuery,
  coversWholeBacktest,
  rollupGrainFor,
  type Aggregate,
} from './sql-builder.js';
import { DURATION_BUCKETS, SESSION_BUCKETS, SIZE_BUCKETS, WEEKDAY_NAMES } from './windows.js';

/** What the executor needs to know about the backtest besides its trades. */
export interface BacktestInfo {
  id: string;
  name: string;
  accountCurrency: string | null;
  /** Exact decimal text, or null when the source did not say. */
  startingBalance: string | null;
  symbols: string[];
  periodStart: number | null;
  periodEnd: number | null;
  tradeCount: number;
  /** The ingest summary, whose whole-backtest drawdown and streaks spare a full ordered scan. */
  summary: IngestSummary | null;
  /** Whether the ingest wrote per-day and per-hour rollups of the trades (older loads did not). */
  hasRollups: boolean;
}

export interface Execution {
  facts: Facts;
  citations: Omit<Citations, 'chunks'>;
  /** Set when the data cannot answer the plan (a field the source lacks); the facts are then empty. */
  unanswerable?: string;
}

type Row = Record<string, unknown>;

/** The facts column(s) each metric contributes, read from the merged per-group row. */
const METRIC_COLUMNS: Record<Metric, [string, (r: Row) => Cell][]> = {
  count: [['trades', (r) => num(r.n)]],
  net: [['net', (r) => money(r.net)]],
  gross_profit: [['gross_profit', (r) => money(r.gross_profit)]],
  gross_loss: [['gross_loss', (r) => money(r.gross_loss)]],
  win_rate: [
    ['win_rate_pct', (r) => text(r.win_rate)],
    ['wins', (r) => num(r.wins)],
  ],
  profit_factor: [['profit_factor', (r) => (r.profit_factor !== null && r.profit_factor !== undefined ? text(r.profit_factor) : Number(r.gross_profit) > 0 ? 'Infinity' : null)]],
  average_trade: [['average_trade', (r) => money(r.average_trade)]],
  expectancy: [['expectancy', (r) => money(r.average_trade)]],
  average_win: [['average_win', (r) => money(r.average_win)]],
  average_loss: [['average_loss', (r) => money(r.average_loss)]],
  average_duration: [['average_duration_min', (r) => text(r.average_duration)]],
  max_duration: [['max_duration_min', (r) => text(r.max_duration)]],
  largest_win: [['largest_win', (r) => money(r.largest_win)]],
  largest_loss: [['largest_loss', (r) => money(r.largest_loss)]],
  commission: [['commission', (r) => money(r.commission)]],
  swap: [['swap', (r) => money(r.swap)]],
  max_drawdown: [
    ['max_drawdown', (r) => money(r.dd ?? '0')],
    ['max_drawdown_pct', (r) => text(r.dd_pct_at_max)],
    ['peak_at', (r) => isoOf(r.peak_at)],
    ['trough_at', (r) => isoOf(r.trough_at)],
    ['deepest_pct', (r) => text(r.dd_pct)],
  ],
  max_consecutive_wins: [
    ['max_consecutive_wins', (r) => num(r.win_len) ?? 0],
    ['win_streak_from', (r) => isoOf(r.win_first)],
    ['win_streak_to', (r) => isoOf(r.win_last)],
    ['win_streak_net', (r) => money(r.win_total)],
  ],
  max_consecutive_losses: [
    ['max_consecutive_losses', (r) => num(r.loss_len) ?? 0],
    ['loss_streak_from', (r) => isoOf(r.loss_first)],
    ['loss_streak_to', (r) => isoOf(r.loss_last)],
    ['loss_streak_net', (r) => money(r.loss_total)],
  ],
};

/** The value a ranking sorts by (the first column of the metric). */
const LOWER_IS_BETTER: ReadonlySet<Metric> = new Set(['max_drawdown', 'max_consecutive_losses']);

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Fields some sources lack; a plan that needs one the data has none of is answered honestly. */
async function missingField(store: Store, bt: BacktestInfo, plan: Plan): Promise<string | undefined> {
  const needs: [boolean, string, string][] = [
    [plan.metrics.some((m) => m === 'average_duration' || m === 'max_duration') || plan.groupBy === 'duration_bucket', 'count(entry_time)', 'the source has no entry times, so holding times cannot be computed'],
    [plan.filters.closeReasons.length > 0 || plan.groupBy === 'close_reason', "count(*) filter (where close_reason <> 'unknown')", 'the source does not record why trades closed (stop loss, take profit, ...)'],
    [plan.metrics.includes('commission'), 'count(commission)', 'the source does not itemise commissions'],
    [plan.metrics.includes('swap'), 'count(swap)', 'the source does not itemise swaps'],
    [plan.groupBy === 'size_bucket', 'count(quantity)', 'the source does not record position sizes in lots'],
  ];
  const wanted = needs.filter((n) => n[0]);
  if (wanted.length === 0) return undefined;
  const rows = await store.query<Row>(`select ${wanted.map((w, i) => `${w[1]}::int as c${i}`).join(', ')} from trades where backtest_id = $1`, [bt.id]);
  const hit = wanted.findIndex((_, i) => Number(rows[0]?.[`c${i}`] ?? 0) === 0);
  return hit >= 0 ? wanted[hit]![2] : undefined;
}

/** Runs a validated aggregate or avoid plan against the store; the SQL comes only from the plan. */
export async function executePlan(store: Store, bt: BacktestInfo, plan: Plan): Promise<Execution> {
  const scope = describeScope(plan, bt);
  if (plan.intent === 'unanswerable') return { facts: emptyFacts(scope), citations: { trades: [], dates: [] }, unanswerable: plan.reason ?? 'the data cannot answer this' };
  const missing = await missingField(store, bt, plan);
  if (missing) return { facts: emptyFacts(scope), citations: { trades: [], dates: [] }, unanswerable: missing };
  if (plan.intent === 'avoid') return executeAvoid(store, bt, plan, scope);
  return executeAggregate(store, bt, plan, scope);
}

interface Groups {
  rows: Row[];
}

/** Aggregates per group (or overall), with sequence metrics merged in by group key. */
async function groupRows(store: Store, bt: BacktestInfo, plan: Plan, extra: Aggregate[] = []): Promise<Groups> {
  const aggregates = aggregatesFor(plan.metrics, extra);
  const grain = bt.hasRollups ? rollupGrainFor(plan, aggregates) : undefined;
  const q = grain ? buildRollupQuery(bt.id, plan, aggregates, grain) : buildAggregateQuery(bt.id, plan, aggregates);
  const rows = await store.query<Row>(q.sql, q.params);
  const byKey = new Map<string, Row>(rows.map((r) => [String(r.key ?? 'all'), r]));
  const known = !plan.groupBy && coversWholeBacktest(plan) ? precomputedSequenceFacts(bt.summary) : undefined;
  if (known) {
    // Computed at ingest with the same rules as the SQL below; over a million trades the SQL takes seconds.
    const row = byKey.get('all');
    if (row) Object.assign(row, plan.metrics.includes('max_drawdown') ? known.drawdown : {}, known.streaks);
  } else if (plan.metrics.includes('max_drawdown')) {
    const d = buildDrawdownQuery(bt.id, plan, bt.startingBalance);
    for (const r of await store.query<Row>(d.sql, d.params)) Object.assign(byKey.get(String(r.key)) ?? {}, { dd: r.dd, dd_pct: r.dd_pct, dd_pct_at_max: r.dd_pct_at_max, peak_at: r.peak_at, trough_at: r.trough_at });
  }
  if (!known && (plan.metrics.includes('max_consecutive_wins') || plan.metrics.includes('max_consecutive_losses'))) {
    const s = buildStreakQuery(bt.id, plan);
    for (const r of await store.query<Row>(s.sql, s.params)) {
      const target = byKey.get(String(r.key));
      if (!target) continue;
      const p = Number(r.sg) > 0 ? 'win' : 'loss';
      Object.assign(target, { [`${p}_len`]: r.len, [`${p}_first`]: r.first_at, [`${p}_last`]: r.last_at, [`${p}_total`]: r.total });
    }
  }
  // An ungrouped aggregate over no rows still returns one row with n = 0.
  return { rows: rows.filter((r) => Number(r.n) > 0) };
}

function groupLabel(g: Grouping, key: unknown): string {
  switch (g) {
    case 'weekday':
      return WEEKDAY_NAMES[Number(key) - 1] ?? String(key);
    case 'hour': {
      const h = Number(key);
      return `${String(h).padStart(2, '0')}:00-${String(h + 1).padStart(2, '0')}:00`;
    }
    case 'session':
      return SESSION_BUCKETS.find((b) => b.key === key)?.label ?? String(key);
    case 'size_bucket':
      return SIZE_BUCKETS.find((b) => b.key === key)?.label ?? String(key);
    case 'duration_bucket':
      return DURATION_BUCKETS.find((b) => b.key === key)?.label ?? String(key);
    default:
      return String(key);
  }
}

function naturalOrder(g: Grouping, key: unknown): string | number {
  switch (g) {
    case 'weekday':
    case 'hour':
      return Number(key);
    case 'session':
      return SESSION_BUCKETS.findIndex((b) => b.key === key);
    case 'size_bucket':
      return key === 'unknown' ? 99 : SIZE_BUCKETS.findIndex((b) => b.key === key);
    case 'duration_bucket':
      return key === 'unknown' ? 99 : DURATION_BUCKETS.findIndex((b) => b.key === key);
    default:
      return String(key);
  }
}

function compareNatural(g: Grouping) {
  return (a: Row, b: Row) => {
    const x = naturalOrder(g, a.key);
    const y = naturalOrder(g, b.key);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** The number a ranking compares; null sorts last whatever the order. */
function rankValue(metric: Metric, r: Row): number | null {
  const cell = METRIC_COLUMNS[metric][0]![1](r);
  if (cell === null) return null;
  if (cell === 'Infinity') return Infinity;
  const n = Number(cell);
  return Number.isNaN(n) ? null : n;
}

function columnsFor(plan: Plan): [string, (r: Row) => Cell][] {
  const cols: [string, (r: Row) => Cell][] = [];
  const seen = new Set<string>();
  const add = (c: [string, (r: Row) => Cell]) => {
    if (!seen.has(c[0])) {
      seen.add(c[0]);
      cols.push(c);
    }
  };
  for (const m of plan.metrics) for (const c of METRIC_COLUMNS[m]) add(c);
  // Every answer says how many trades it rests on.
  add(METRIC_COLUMNS.count[0]!);
  return cols;
}

async function executeAggregate(store: Store, bt: BacktestInfo, plan: Plan, scope: string): Promise<Execution> {
  const notes: string[] = [];
  const { rows } = await groupRows(store, bt, plan);
  const cols = columnsFor(plan);
  const citations: Execution['citations'] = { trades: [], dates: [] };
  let ordered = rows;
  if (plan.groupBy) {
    ordered = [...rows].sort(compareNatural(plan.groupBy));
    if (plan.rank) {
      const { by, order, limit } = plan.rank;
      const eligible = ordered.filter((r) => Number(r.n) >= plan.minSample);
      const pool = eligible.length > 0 ? eligible : ordered;
      if (eligible.length === 0 && ordered.length > 0 && plan.minSample > 1) {
        notes.push(`no ${plan.groupBy} has ${plan.minSample} or more trades, so every one was ranked; small samples are weak evidence`);
      } else if (eligible.length < ordered.length) {
        notes.push(`${ordered.length - eligible.length} ${plan.groupBy} group(s) with fewer than ${plan.minSample} trades were left out of the ranking`);
      }
      const higherFirst = (order === 'best') !== LOWER_IS_BETTER.has(by);
      ordered = [...pool]
        .map((r) => ({ r, v: rankValue(by, r) }))
        .sort((a, b) => {
          if (a.v === null || b.v === null) return a.v === null ? (b.v === null ? 0 : 1) : -1;
          if (a.v === b.v) return 0;
          return higherFirst ? (b.v > a.v ? 1 : -1) : a.v > b.v ? 1 : -1;
        })
        .slice(0, limit)
        .map((x) => x.r);
    }
    const small = ordered.filter((r) => Number(r.n) < plan.minSample).length;
    if (small > 0 && plan.minSample > 1) {
      notes.push(`${small} of the ${plan.groupBy} group(s) shown have fewer than ${plan.minSample} trades: treat them as anecdotes`);
    }
    if (plan.groupBy === 'day') citations.dates.push(...ordered.map((r) => String(r.key)));
  }

  const groupCol = plan.groupBy ? [plan.groupBy] : [];
  const facts: Facts = {
    columns: [...groupCol, ...cols.map((c) => c[0])],
    rows: ordered.map((r) => [...(plan.groupBy ? [groupLabel(plan.groupBy, r.key)] : []), ...cols.map((c) => c[1](r))]),
    scope,
    notes,
  };

  // The trade behind an ungrouped extreme, with its id, for citation.
  if (!plan.groupBy && facts.rows.length > 0) {
    for (const which of ['largest_loss', 'largest_win'] as const) {
      if (!plan.metrics.includes(which)) continue;
      const q = buildExtremeTradeQuery(bt.id, plan, which);
      const t = (await store.query<Row>(q.sql, q.params))[0];
      if (!t) continue;
      const cite = tradeCitation(t);
      citations.trades.push(cite);
      const prefix = which === 'largest_loss' ? 'loss' : 'win';
      facts.columns.push(`${prefix}_trade_id`, `${prefix}_symbol`, `${prefix}_direction`, `${prefix}_entry_time`, `${prefix}_exit_time`);
      facts.rows[0]!.push(cite.id, cite.symbol, cite.direction, cite.entryTime, cite.exitTime);
    }
    if (plan.metrics.includes('max_drawdown')) {
      const r = rowObject(facts, 0);
      for (const k of ['peak_at', 'trough_at']) if (typeof r[k] === 'string') citations.dates.push((r[k] as string).slice(0, 10));
      if (bt.startingBalance === null) notes.push('the starting balance is unknown, so the drawdown is measured from the first trade and has no percentage');
    }
    for (const p of ['win', 'loss'] as const) {
      const r = rowObject(facts, 0);
      if (typeof r[`${p}_streak_from`] === 'string') citations.dates.push(String(r[`${p}_streak_from`]).slice(0, 10), String(r[`${p}_streak_to`]).slice(0, 10));
    }
    if (plan.metrics.some((m) => m === 'average_duration' || m === 'max_duration')) {
      const timed = rows[0]?.timed;
      const n = rows[0]?.n;
      if (timed !== undefined && Number(timed) < Number(n)) notes.push(`${Number(n) - Number(timed)} trade(s) without an entry time are left out of holding times`);
    }
  }
  if (facts.rows.length === 0) notes.push('no trades match these filters');
  return { facts, citations };
}

function rowObject(f: Facts, i: number): Record<string, Cell> {
  return Object.fromEntries(f.columns.map((c, j) => [c, f.rows[i]?.[j] ?? null]));
}

function tradeCitation(t: Row): TradeCitation {
  return {
    id: String(t.source_id),
    symbol: String(t.symbol),
    direction: String(t.direction),
    entryTime: isoOf(t.entry_time),
    exitTime: isoOf(t.exit_time)!,
    net: money(t.net)!,
  };
}

/**
 * "Which days should I avoid": every window of the grouping, worst net first, with its count, win rate
 * and a simple test of its mean trade against the overall mean (z = (mean_g - mean) / (sd / sqrt(n_g))).
 * A losing window is to avoid when it has at least `minSample` trades; otherwise it is flagged as too
 * small to tell. For weekdays the three worst calendar dates are added as notes.
 */
async function executeAvoid(store: Store, bt: BacktestInfo, plan: Plan, scope: string): Promise<Execution> {
  const g = plan.groupBy ?? 'weekday';
  const grouped = { ...plan, groupBy: g, metrics: ['net', 'count', 'win_rate'] as Metric[], rank: null };
  const { rows } = await groupRows(store, bt, grouped, ['mean_net', 'sum_net_f', 'sum_sq_net']);
  // The overall mean and spread from the groups' sums: one scan fewer than asking again.
  const n = rows.reduce((s, r) => s + Number(r.n), 0);
  const sum = rows.reduce((s, r) => s + Number(r.sum_net_f), 0);
  const sumSq = rows.reduce((s, r) => s + Number(r.sum_sq_net), 0);
  const mean = n > 0 ? sum / n : 0;
  const sd = n > 1 ? Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))) : 0;
  const zOf = (r: Row) => (sd > 0 ? ((Number(r.mean_net) - mean) / (sd / Math.sqrt(Number(r.n)))).toFixed(2) : null);
  const sorted = [...rows].sort((a, b) => Number(a.net) - Number(b.net) || (naturalOrder(g, a.key) < naturalOrder(g, b.key) ? -1 : 1));
  const verdict = (r: Row) => (Number(r.net) >= 0 ? 'keep' : Number(r.n) >= plan.minSample ? 'avoid' : 'losing, sample too small');
  const facts: Facts = {
    columns: [g, 'verdict', 'net', 'trades', 'win_rate_pct', 'z'],
    rows: sorted.map((r) => [groupLabel(g, r.key), verdict(r), money(r.net), num(r.n), text(r.win_rate), zOf(r)]),
    scope,
    notes: [],
  };
  const avoid = sorted.filter((r) => verdict(r) === 'avoid');
  if (avoid.length === 0) facts.notes.push(`no ${g} with ${plan.minSample} or more trades lost money overall`);
  facts.notes.push(`z compares a window's average trade with the overall average (${mean.toFixed(2)}); |z| >= 2 is unlikely to be chance, |z| < 2 could be`);
  const citations: Execution['citations'] = { trades: [], dates: [] };
  if (g === 'weekday') {
    const days = await groupRows(store, bt, { ...grouped, groupBy: 'day', minSample: 1 });
    const worst = [...days.rows].sort((a, b) => Number(a.net) - Number(b.net) || String(a.key).localeCompare(String(b.key))).slice(0, 3).filter((r) => Number(r.net) < 0);
    if (worst.length > 0) {
      facts.notes.push(
        `worst single dates: ${worst.map((r) => `${String(r.key)} (${WEEKDAY_NAMES[(new Date(`${String(r.key)}T00:00:00Z`).getUTCDay() + 6) % 7]}) net ${money(r.net)} over ${num(r.n)} trades`).join('; ')}`,
      );
      citations.dates.push(...worst.map((r) => String(r.key)));
    }
  }
  return { facts, citations };
}

/** The trade a "like #1234" question is about, or undefined when the backtest has no such trade. */
export async function findTrade(store: Store, bt: BacktestInfo, tradeId: string): Promise<(TradeCitation & { seq: number; closeReason: string }) | undefined> {
  const q = buildTradeByIdQuery(bt.id, tradeId);
  const t = (await store.query<Row>(q.sql, q.params))[0];
  return t ? { ...tradeCitation(t), seq: Number(t.seq), closeReason: String(t.close_reason) } : undefined;
}

const NEIGHBOUR_COLUMNS = ['trade_id', 'symbol', 'direction', 'entry_time', 'exit_time', 'net', 'close_reason'];

/** Nearest trades by plain features; the fallback when no vector store can give semantic neighbours. */
export async function featureNeighbours(store: Store, bt: BacktestInfo, tradeId: string, k: number, scope: string): Promise<Execution> {
  const q = buildFeatureNeighboursQuery(bt.id, tradeId, k);
  const rows = await store.query<Row>(q.sql, q.params);
  return {
    facts: {
      columns: [...NEIGHBOUR_COLUMNS, 'distance'],
      rows: rows.map((r) => [String(r.source_id), String(r.symbol), String(r.direction), isoOf(r.entry_time), isoOf(r.exit_time), money(r.net), String(r.close_reason), text(r.distance)]),
      scope,
      notes: ['neighbours by features: same symbol and side first, then entry hour, holding time, size and result'],
    },
    citations: { trades: rows.map(tradeCitation), dates: [] },
  };
}

/** The facts of given trades (semantic neighbours found by the vector store), scoped to the backtest. */
export async function tradesById(store: Store, bt: BacktestInfo, ids: string[], scores: Map<string, number>, scope: string): Promise<Execution> {
  const rows = await store.query<Row>(
    `select source_id, symbol, direction, entry_time, exit_time, net::text as net, close_reason from trades
     where backtest_id = $1 and source_id = any($2::text[]) order by seq`,
    [bt.id, ids],
  );
  rows.sort((a, b) => (scores.get(String(b.source_id)) ?? 0) - (scores.get(String(a.source_id)) ?? 0));
  return {
    facts: {
      columns: [...NEIGHBOUR_COLUMNS, 'similarity'],
      rows: rows.map((r) => [String(r.source_id), String(r.symbol), String(r.direction), isoOf(r.entry_time), isoOf(r.exit_time), money(r.net), String(r.close_reason), (scores.get(String(r.source_id)) ?? 0).toFixed(3)]),
      scope,
      notes: ['semantic neighbours: the trades whose chunks embed closest to this trade\'s chunk'],
    },
    citations: { trades: rows.map(tradeCitation), dates: [] },
  };
}

function emptyFacts(scope: string): Facts {
  return { columns: [], rows: [], scope, notes: [] };
}


/** The drawdown and streak columns as the sequence SQL returns them, from a summary that has them. */
function precomputedSequenceFacts(summary: IngestSummary | null): { drawdown: Row; streaks: Row } | undefined {
  const dd = summary?.maxBalanceDrawdown;
  if (!summary || !dd || !('troughAt' in dd) || !summary.streaks) return undefined;
  const pct = (v: number | null) => (v === null ? null : v.toFixed(2));
  const streaks: Row = {};
  for (const [prefix, run] of [['win', summary.streaks.wins], ['loss', summary.streaks.losses]] as const) {
    if (run) Object.assign(streaks, { [`${prefix}_len`]: run.length, [`${prefix}_first`]: run.from, [`${prefix}_last`]: run.to, [`${prefix}_total`]: String(run.net) });
  }
  return {
    drawdown: { dd: String(dd.absolute), dd_pct_at_max: pct(dd.percentAtMax), dd_pct: pct(dd.percent), peak_at: dd.peakAt, trough_at: dd.troughAt },
    streaks,
  };
}
