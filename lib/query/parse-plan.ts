import type { CloseReason } from '../domain/trade.js';
import { Plan, type Grouping, type Metric, type PlanInput, type SessionFilter } from './plan-schema.js';
import { tokenize, type Token } from './tokenize.js';
import { unanswerableTopic } from './unanswerable.js';
import { addDays, hhmm } from './windows.js';

/**
 * The deterministic question parser: tokens in, a validated plan out, by rules over words and phrases.
 * It needs the backtest's symbols (to recognise them) and the data's last time ("last month" is the
 * month of the data's end, not of the clock). Phrases are matched longest first and consume their
 * words, so "profit factor" is not also "profit", and "largest losing trade" is not also a filter on
 * losing trades.
 */

export interface ParseContext {
  symbols: string[];
  /** UTC ms of the data's first and last trade; relative dates resolve against the end. */
  periodStart: number | null;
  periodEnd: number | null;
}

export interface ParsedQuestion {
  plan: Plan;
  /** What the parser understood, in words, for the answer's scope line and for debugging rules. */
  understood: string[];
}

type PhraseTable<T> = [string, T][];

const METRIC_PHRASES: PhraseTable<Metric[]> = [
  ['profit factor', ['profit_factor']], ['pf', ['profit_factor']],
  ['win rate', ['win_rate']], ['winrate', ['win_rate']], ['win ratio', ['win_rate']], ['hit rate', ['win_rate']], ['strike rate', ['win_rate']],
  ['win %', ['win_rate']], ['win percentage', ['win_rate']], ['winning percentage', ['win_rate']], ['percentage of winners', ['win_rate']],
  ['percent of trades won', ['win_rate']], ['% of trades won', ['win_rate']], ['% winners', ['win_rate']], ['success rate', ['win_rate']],
  ['gross profit', ['gross_profit']], ['gross profits', ['gross_profit']], ['gross loss', ['gross_loss']], ['gross losses', ['gross_loss']],
  ['average trade', ['average_trade']], ['avg trade', ['average_trade']], ['average profit per trade', ['average_trade']], ['average per trade', ['average_trade']],
  ['average result', ['average_trade']], ['mean trade', ['average_trade']], ['average pnl', ['average_trade']], ['average net', ['average_trade']],
  ['profit per trade', ['average_trade']], ['average profit', ['average_trade']],
  ['expectancy', ['expectancy']], ['expected value', ['expectancy']],
  ['average winning trade', ['average_win']], ['average winner', ['average_win']], ['average win', ['average_win']], ['avg win', ['average_win']],
  ['average losing trade', ['average_loss']], ['average loser', ['average_loss']], ['average loss', ['average_loss']], ['avg loss', ['average_loss']],
  ['average trade duration', ['average_duration']], ['average duration', ['average_duration']], ['average holding time', ['average_duration']],
  ['average hold time', ['average_duration']], ['average time in trade', ['average_duration']], ['average time in a trade', ['average_duration']],
  ['average trade length', ['average_duration']], ['how long', ['average_duration']], ['holding time', ['average_duration']], ['hold time', ['average_duration']],
  ['longest trade', ['max_duration']], ['longest held trade', ['max_duration']], ['max duration', ['max_duration']], ['maximum duration', ['max_duration']],
  ['longest holding time', ['max_duration']],
  ['largest winning trade', ['largest_win']], ['biggest winning trade', ['largest_win']], ['largest win', ['largest_win']], ['biggest win', ['largest_win']],
  ['biggest winner', ['largest_win']], ['largest winner', ['largest_win']], ['best trade', ['largest_win']], ['largest profit', ['largest_win']],
  ['biggest profit', ['largest_win']], ['best single trade', ['largest_win']],
  ['largest losing trade', ['largest_loss']], ['biggest losing trade', ['largest_loss']], ['largest loss', ['largest_loss']], ['biggest loss', ['largest_loss']],
  ['biggest loser', ['largest_loss']], ['largest loser', ['largest_loss']], ['worst trade', ['largest_loss']], ['worst single trade', ['largest_loss']],
  ['worst loss', ['largest_loss']],
  ['maximum drawdown', ['max_drawdown']], ['max drawdown', ['max_drawdown']], ['max dd', ['max_drawdown']], ['biggest drawdown', ['max_drawdown']],
  ['largest drawdown', ['max_drawdown']], ['deepest drawdown', ['max_drawdown']], ['drawdown', ['max_drawdown']], ['dd', ['max_drawdown']],
  ['longest winning streak', ['max_consecutive_wins']], ['winning streak', ['max_consecutive_wins']], ['win streak', ['max_consecutive_wins']],
  ['consecutive wins', ['max_consecutive_wins']], ['wins in a row', ['max_consecutive_wins']], ['consecutive winners', ['max_consecutive_wins']],
  ['longest losing streak', ['max_consecutive_losses']], ['losing streak', ['max_consecutive_losses']], ['loss streak', ['max_consecutive_losses']],
  ['consecutive losses', ['max_consecutive_losses']], ['losses in a row', ['max_consecutive_losses']], ['consecutive losers', ['max_consecutive_losses']],
  ['streaks', ['max_consecutive_wins', 'max_consecutive_losses']], ['streak', ['max_consecutive_wins', 'max_consecutive_losses']],
  ['commissions', ['commission']], ['commission', ['commission']], ['fees', ['commission']],
  ['swaps', ['swap']], ['swap', ['swap']],
  ['how many', ['count']], ['number of', ['count']], ['count', ['count']], ['total trades', ['count']], ['trade count', ['count']], ['most trades', ['count']],
  ['net profit', ['net']], ['net result', ['net']], ['net pnl', ['net']], ['total profit', ['net']], ['pnl', ['net']], ['profit', ['net']], ['profits', ['net']],
  ['net', ['net']], ['earn', ['net']], ['earned', ['net']], ['make', ['net']], ['made', ['net']], ['lose', ['net']], ['lost', ['net']], ['return', ['net']],
  ['returns', ['net']], ['money', ['net']], ['profitable', ['net']], ['performance', ['net', 'count', 'win_rate']], ['perform', ['net', 'count', 'win_rate']],
  ['performed', ['net', 'count', 'win_rate']], ['did i do', ['net', 'count', 'win_rate']], ['results', ['net', 'count', 'win_rate']],
];

const GROUP_PHRASES: PhraseTable<Grouping> = [
  ['day of the week', 'weekday'], ['days of the week', 'weekday'], ['day of week', 'weekday'], ['weekday', 'weekday'], ['weekdays', 'weekday'],
  ['calendar day', 'day'], ['calendar days', 'day'], ['single day', 'day'], ['dates', 'day'], ['date', 'day'], ['daily', 'day'],
  ['day', 'weekday'], ['days', 'weekday'],
  ['hour of the day', 'hour'], ['time of day', 'hour'], ['time of the day', 'hour'], ['what time', 'hour'], ['hours', 'hour'], ['hour', 'hour'], ['hourly', 'hour'],
  ['sessions', 'session'], ['session', 'session'],
  ['months', 'month'], ['month', 'month'], ['monthly', 'month'], ['per month', 'month'],
  ['years', 'year'], ['year', 'year'], ['yearly', 'year'], ['annual', 'year'],
  ['symbols', 'symbol'], ['symbol', 'symbol'], ['instruments', 'symbol'], ['instrument', 'symbol'], ['pairs', 'symbol'], ['pair', 'symbol'],
  ['markets', 'symbol'], ['market', 'symbol'], ['assets', 'symbol'],
  ['long vs short', 'direction'], ['longs vs shorts', 'direction'], ['long versus short', 'direction'], ['longs versus shorts', 'direction'],
  ['long or short', 'direction'], ['longs or shorts', 'direction'], ['long and short', 'direction'], ['longs and shorts', 'direction'],
  ['short vs long', 'direction'], ['shorts vs longs', 'direction'], ['sell vs buy', 'direction'], ['sells vs buys', 'direction'],
  ['buy vs sell', 'direction'], ['buys vs sells', 'direction'], ['buys or sells', 'direction'], ['buys and sells', 'direction'], ['direction', 'direction'], ['side', 'direction'],
  ['lot size', 'size_bucket'], ['position size', 'size_bucket'], ['trade size', 'size_bucket'], ['size', 'size_bucket'], ['sizes', 'size_bucket'], ['lots', 'size_bucket'],
  ['holding time', 'duration_bucket'], ['trade length', 'duration_bucket'], ['duration', 'duration_bucket'], ['durations', 'duration_bucket'],
  ['close reason', 'close_reason'], ['exit reason', 'close_reason'], ['closing reason', 'close_reason'], ['how trades closed', 'close_reason'],
];

const WEEKDAY_WORDS: Record<string, number> = {
  monday: 1, mondays: 1, mon: 1, tuesday: 2, tuesdays: 2, tue: 2, tues: 2, wednesday: 3, wednesdays: 3, wed: 3,
  thursday: 4, thursdays: 4, thu: 4, thurs: 4, friday: 5, fridays: 5, fri: 5, saturday: 6, saturdays: 6, sat: 6, sunday: 7, sundays: 7, sun: 7,
};
const MONTH_WORDS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6, july: 7, jul: 7,
  august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twenty: 20 };
const EXTREMES: ReadonlySet<Metric> = new Set(['largest_win', 'largest_loss', 'max_drawdown', 'max_duration', 'max_consecutive_wins', 'max_consecutive_losses']);
const BEST = new Set(['best', 'top', 'highest', 'most', 'greatest', 'strongest', 'biggest', 'largest']);
const WORST = new Set(['worst', 'lowest', 'least', 'bottom', 'weakest', 'poorest']);
const SELL_WORDS = new Set(['short', 'shorts', 'sell', 'sells', 'selling', 'sold', 'shorting']);
const BUY_WORDS = new Set(['long', 'longs', 'buy', 'buys', 'buying', 'bought']);
const ZONE_PHRASES: PhraseTable<string> = [
  ['new york time', 'America/New_York'], ['ny time', 'America/New_York'], ['eastern time', 'America/New_York'], ['new york hours', 'America/New_York'],
  ['london time', 'Europe/London'], ['uk time', 'Europe/London'], ['tokyo time', 'Asia/Tokyo'], ['japan time', 'Asia/Tokyo'],
  ['sydney time', 'Australia/Sydney'], ['central european time', 'Europe/Berlin'], ['cet', 'Europe/Berlin'], ['berlin time', 'Europe/Berlin'],
];
const SESSION_PHRASES: PhraseTable<SessionFilter> = [
  ['new york', 'new_york'], ['ny', 'new_york'], ['american', 'new_york'], ['us session', 'new_york'], ['asian', 'asia'], ['asia', 'asia'], ['tokyo', 'asia'],
  ['sydney', 'asia'], ['london', 'london'], ['european', 'london'], ['europe', 'london'],
];
const CLOSE_PHRASES: PhraseTable<CloseReason[]> = [
  ['stop loss', ['stop_loss']], ['stop-loss', ['stop_loss']], ['stoploss', ['stop_loss']], ['stopped out', ['stop_loss', 'stop_out']], ['sl', ['stop_loss']],
  ['trailing stop', ['trailing_stop']], ['take profit', ['take_profit']], ['take-profit', ['take_profit']], ['tp', ['take_profit']],
  ['closed manually', ['manual']], ['manual', ['manual']], ['stop out', ['stop_out']], ['margin call', ['stop_out']],
];
const SYMBOL_ALIASES: Record<string, string[]> = {
  gold: ['XAUUSD'], silver: ['XAGUSD'], dow: ['US30'], 'dow jones': ['US30'], cable: ['GBPUSD'], fiber: ['EURUSD'], nasdaq: ['US100', 'NAS100', 'USTEC'],
  'us tech': ['US100', 'USTEC'], spx: ['US500', 'SPX500'], 'sp500': ['US500', 'SPX500'], dax: ['DE40', 'GER40'], oil: ['XTIUSD', 'USOIL'], bitcoin: ['BTCUSD'],
};
const CURRENCY = '(?:eur|usd|gbp|jpy|chf|aud|nzd|cad|xau|xag|btc|eth)';
const PAIR = new RegExp(`^${CURRENCY}${CURRENCY}$`, 'i');

class Cursor {
  readonly words: string[];
  readonly used: boolean[];
  constructor(readonly tokens: Token[]) {
    this.words = tokens.map((t) => (t.kind === 'word' ? t.text : t.kind === 'number' ? t.text : t.kind === 'percent' ? '%' : `\u0000${t.kind}`));
    this.used = tokens.map(() => false);
  }
  /** Positions where the phrase matches unused words. */
  find(phrase: string): number[] {
    const p = phrase.split(' ');
    const hits: number[] = [];
    for (let i = 0; i + p.length <= this.words.length; i++) {
      if (p.every((w, j) => this.words[i + j] === w && !this.used[i + j])) hits.push(i);
    }
    return hits;
  }
  take(at: number, length: number): void {
    for (let j = 0; j < length; j++) this.used[at + j] = true;
  }
  /** Matches a phrase table longest first; each hit consumes its words. */
  matchAll<T>(table: PhraseTable<T>): { value: T; at: number; phrase: string }[] {
    const sorted = [...table].sort((a, b) => b[0].split(' ').length - a[0].split(' ').length || b[0].length - a[0].length);
    const out: { value: T; at: number; phrase: string }[] = [];
    for (const [phrase, value] of sorted) {
      for (const at of this.find(phrase)) {
        if (this.find(phrase).includes(at)) {
          this.take(at, phrase.split(' ').length);
          out.push({ value, at, phrase });
        }
      }
    }
    return out.sort((a, b) => a.at - b.at);
  }
  word(i: number): string | undefined {
    return this.words[i];
  }
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthStart = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`;
const nextMonthStart = (y: number, m: number) => (m === 12 ? monthStart(y + 1, 1) : monthStart(y, m + 1));

export function parseQuestion(question: string, ctx: ParseContext): ParsedQuestion {
  const tokens = tokenize(question);
  const c = new Cursor(tokens);
  const understood: string[] = [];
  const plain = tokens.filter((t) => t.kind === 'word').map((t) => t.text);

  const refusal = unanswerableTopic(question, plain);
  if (refusal) return unanswerable(refusal.reason, [`unanswerable: ${refusal.topic}`]);

  // "trades like #1234"
  const id = tokens.find((t) => t.kind === 'id') as Extract<Token, { kind: 'id' }> | undefined;
  const similarWords = ['like', 'similar', 'resembling', 'resemble', 'neighbours', 'neighbors'];
  const tradeNumber = tradeIdAfterWord(tokens);
  if ((id || tradeNumber) && plain.some((w) => similarWords.includes(w))) {
    const tradeId = id?.id ?? tradeNumber!;
    return done({ intent: 'similar', metrics: ['net'], tradeId }, [`trades similar to #${tradeId}`]);
  }

  // Zones before sessions ("New York time" is a zone, "New York session" a session).
  let zone: string | undefined;
  for (const z of c.matchAll(ZONE_PHRASES)) zone = z.value;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'zone') {
      c.take(i, 1);
      if (t.zone !== 'UTC' || zone === undefined) zone = t.zone;
    }
  }
  if (zone) understood.push(`times in ${zone}`);

  const avoid = plain.some((w) => w === 'avoid' || w === 'skip') || c.find('stay away').length > 0 || c.find('stop trading').length > 0 || c.find('not trade').length > 0;

  // Close reasons ("stop loss hits") before metrics, so "sl" is not read otherwise.
  const closeReasons = new Set<CloseReason>();
  for (const m of c.matchAll(CLOSE_PHRASES)) for (const r of m.value) closeReasons.add(r);

  // "by holding time", "per month": a grouping named after by/per wins over a metric of the same words.
  let claimedGroup: { value: Grouping; phrase: string } | null = null;
  for (const [phrase, value] of [...GROUP_PHRASES].sort((a, b) => b[0].length - a[0].length)) {
    for (const at of c.find(phrase)) {
      if (claimedGroup || !['by', 'per', 'each', 'across'].includes(c.word(at - 1) ?? '')) continue;
      c.take(at, phrase.split(' ').length);
      claimedGroup = { value, phrase };
    }
  }

  const metricHits = c.matchAll(METRIC_PHRASES);
  const metrics: Metric[] = [];
  for (const h of metricHits) for (const m of h.value) if (!metrics.includes(m)) metrics.push(m);
  // Superlatives inside an extreme's own name ("biggest loss", "largest drawdown") rank nothing.
  const insideExtreme = new Set<number>();
  for (const h of metricHits) {
    if (h.value.some((m) => EXTREMES.has(m))) for (let j = 0; j < h.phrase.split(' ').length; j++) insideExtreme.add(h.at + j);
  }

  // Sessions named as filters consume a following "session"/"hours", so that is no grouping.
  const sessions = new Set<SessionFilter>();
  for (const s of c.matchAll(SESSION_PHRASES)) {
    sessions.add(s.value);
    const after = s.at + s.phrase.split(' ').length;
    if (['session', 'sessions', 'hours', 'open'].includes(c.word(after) ?? '')) c.take(after, 1);
  }
  if (sessions.size > 0) understood.push(`during ${[...sessions].join(', ')}`);

  // Grouping words; a group word right after "last"/"this" is a date, not a grouping.
  let groupBy: Grouping | null = claimedGroup?.value ?? null;
  let groupPlural = claimedGroup !== null;
  for (const g of c.matchAll(GROUP_PHRASES)) {
    const before = c.word(g.at - 1);
    const relative = ['last', 'this', 'previous', 'past', 'latest', 'recent', 'that', 'same', 'per'].includes(before ?? '');
    const relativeN = /^\d+$/.test(before ?? '') && ['last', 'past'].includes(c.word(g.at - 2) ?? '');
    if ((g.value === 'month' || g.value === 'year' || g.value === 'weekday' || g.value === 'day') && (relative || relativeN) && g.phrase !== 'per month') continue;
    if (g.value === 'size_bucket' && g.phrase === 'lots' && /^\d/.test(before ?? '')) continue;
    const next = c.word(g.at + g.phrase.split(' ').length) ?? '';
    if (g.value === 'symbol' && (ctx.symbols.some((s) => s.toLowerCase() === next) || PAIR.test(next))) continue;
    if (groupBy === null || (groupBy === 'weekday' && g.value === 'day')) {
      groupBy = g.value;
      groupPlural = /s$/.test(g.phrase) || g.phrase === 'daily' || g.phrase === 'monthly' || g.phrase === 'hourly';
    }
  }

  // Superlatives and how many groups to keep.
  let order: 'best' | 'worst' | null = null;
  let limit: number | null = null;
  for (let i = 0; i < c.words.length; i++) {
    const w = c.words[i]!;
    const kind = BEST.has(w) ? 'best' : WORST.has(w) ? 'worst' : null;
    if (!kind || insideExtreme.has(i)) continue;
    if (w === 'least' && c.word(i + 1) === 'profitable') order = 'worst';
    else order ??= kind;
    const n = numberAt(tokens, i + 1) ?? numberAt(tokens, i - 1);
    if (n !== null && n >= 1 && n <= 100) limit = n;
  }
  if (!groupBy && (metrics.includes('largest_win') || metrics.includes('largest_loss'))) order = null;

  // Direction: a comparison groups, a single side filters.
  let direction: 'buy' | 'sell' | null = null;
  const sides = new Set<'buy' | 'sell'>();
  for (let i = 0; i < c.words.length; i++) {
    if (c.used[i]) continue;
    if (SELL_WORDS.has(c.words[i]!)) sides.add('sell');
    else if (BUY_WORDS.has(c.words[i]!)) sides.add('buy');
  }
  if (sides.size === 2 && groupBy === null) groupBy = 'direction';
  else if (sides.size === 1 && groupBy !== 'direction') direction = [...sides][0]!;
  if (direction) understood.push(direction === 'sell' ? 'sells (shorts)' : 'buys (longs)');

  // Symbols: the backtest's own names, currency pairs, and common nicknames.
  const symbols = new Set<string>();
  const known = new Map(ctx.symbols.map((s) => [s.toLowerCase(), s]));
  for (const [alias, targets] of Object.entries(SYMBOL_ALIASES)) {
    const hits = c.find(alias);
    if (hits.length === 0) continue;
    const target = targets.find((t) => known.has(t.toLowerCase())) ?? targets[0]!;
    for (const at of hits) c.take(at, alias.split(' ').length);
    symbols.add(known.get(target.toLowerCase()) ?? target);
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || c.used[i]) continue;
    const hit = known.get(t.text);
    if (hit) symbols.add(hit);
    else if (PAIR.test(t.text)) symbols.add(t.text.toUpperCase());
    if (hit || PAIR.test(t.text)) c.take(i, 1);
  }
  if (symbols.size > 0) understood.push(`symbols ${[...symbols].join(', ')}`);

  const weekdays = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'word' && WEEKDAY_WORDS[t.text] !== undefined && !c.used[i]) {
      // "sun"/"sat"/"mon"/"wed" are also ordinary words; only the full names count without context.
      if (t.text.length <= 4 && !['fri', 'thu', 'tue', 'thurs', 'tues'].includes(t.text)) continue;
      weekdays.add(WEEKDAY_WORDS[t.text]!);
      c.take(i, 1);
    }
  }
  if (plain.includes('weekend') || plain.includes('weekends')) {
    weekdays.add(6);
    weekdays.add(7);
  }
  if (weekdays.size > 0) understood.push(`weekdays ${[...weekdays].join(',')}`);

  const timeOfDay = parseTimeWindow(tokens);
  if (timeOfDay) understood.push(`time of day ${timeOfDay.from}-${timeOfDay.to}`);

  const dates = parseDates(tokens, c, ctx);
  if (dates.from || dates.to) understood.push(`dates ${dates.from ?? '…'} to ${dates.to ?? '…'} (end exclusive)`);

  const outcomes = new Set<'win' | 'loss'>();
  for (let i = 0; i < c.words.length; i++) {
    if (c.used[i]) continue;
    const w = c.words[i]!;
    if (['winning', 'winners', 'wins', 'won', 'winner'].includes(w)) outcomes.add('win');
    if (['losing', 'losers', 'losses', 'loser'].includes(w)) outcomes.add('loss');
  }
  let outcome = outcomes.size === 1 ? [...outcomes][0]! : null;
  // "what percentage of my trades were winners" asks for the win rate, not for the winners.
  if (outcome === 'win' && plain.some((w) => ['percentage', 'percent', 'proportion', 'share', 'fraction', '%'].includes(w))) {
    outcome = null;
    if (!metrics.includes('win_rate')) metrics.splice(0, metrics.length, 'win_rate');
  }
  if (outcome) understood.push(`${outcome === 'win' ? 'winning' : 'losing'} trades only`);

  const exitWords = ['exited', 'exit', 'exits', 'closing'];
  const closedAt = tokens.some((t, i) => t.kind === 'word' && t.text === 'closed' && ['in', 'on', 'after', 'before', 'between', 'during', 'at', 'since'].includes(c.word(i + 1) ?? ''));
  const timeBasis: 'entry' | 'exit' = closedAt || c.words.some((w, i) => !c.used[i] && exitWords.includes(w)) ? 'exit' : 'entry';

  let minSample: number | undefined;
  for (const phrase of ['at least', 'minimum', 'min']) {
    for (const at of c.find(phrase)) {
      const n = numberAt(tokens, at + phrase.split(' ').length);
      if (n !== null && n >= 1 && /^trades?$/.test(c.word(at + phrase.split(' ').length + 1) ?? '')) minSample = n;
    }
  }

  const anyFilter = symbols.size + weekdays.size + sessions.size + closeReasons.size > 0 || !!direction || !!timeOfDay || !!dates.from || !!dates.to || !!outcome;
  if (!avoid && metrics.length === 0 && !groupBy && !order && !anyFilter) {
    return unanswerable('I could not find a question about these trades in that', ['no metric, grouping or filter recognised']);
  }

  const filters = {
    symbols: [...symbols],
    direction,
    from: dates.from,
    to: dates.to,
    weekdays: [...weekdays].sort(),
    timeOfDay,
    sessions: [...sessions],
    outcome,
    closeReasons: [...closeReasons],
  };
  const common = { filters, timeBasis, zone: zone ?? 'UTC', ...(minSample ? { minSample } : {}) };

  if (avoid) {
    const g = groupBy && groupBy !== 'direction' ? groupBy : 'weekday';
    return done({ intent: 'avoid', metrics: ['net', 'count', 'win_rate'], groupBy: g, ...common, ...(g === 'day' && !minSample ? { minSample: 1 } : {}) }, [
      ...understood,
      `windows to avoid by ${g}`,
    ]);
  }

  let finalMetrics = metrics.length > 0 ? metrics : ['net', 'count', 'win_rate'] as Metric[];
  // A superlative over groups ranks them by the first metric named (net when none is).
  let rank: PlanInput['rank'] = null;
  if (order && !groupBy && metrics.length > 0 && metrics.every((m) => m === 'count')) order = null;
  if (order && groupBy === null) {
    // "best day" without a grouping word cannot happen (day is a grouping); "best" alone ranks nothing.
    order = null;
  }
  if (!order && groupBy && /^(which|what)$/.test(plain[0] ?? '') && !groupPlural) {
    // "which hour had the biggest loss": the extreme names the ranking.
    const extreme = metrics.find((m) => EXTREMES.has(m));
    if (extreme) order = extreme === 'largest_win' || extreme === 'max_consecutive_wins' ? 'best' : 'worst';
  }
  if (order && groupBy) {
    const by = metrics.find((m) => m !== 'count') ?? (metrics.includes('count') ? 'count' : 'net');
    rank = { by, order, limit: limit ?? (groupPlural ? 3 : 1) };
    if (!finalMetrics.includes(by)) finalMetrics = [by, ...finalMetrics];
    if (metrics.length === 1 && by !== 'count') finalMetrics = [...new Set<Metric>([by, 'count', ...(by === 'net' ? ['win_rate' as const] : ['net' as const])])];
    understood.push(`${order} ${rank.limit} by ${by}`);
  }
  if (groupBy) understood.push(`grouped by ${groupBy}`);
  const minSampleDefault = groupBy === 'day' && !minSample ? { minSample: 1 } : {};
  return done({ intent: 'aggregate', metrics: finalMetrics, groupBy, rank, ...common, ...minSampleDefault }, understood);
}

function done(input: PlanInput, understood: string[]): ParsedQuestion {
  return { plan: Plan.parse(input), understood };
}

function unanswerable(reason: string, understood: string[]): ParsedQuestion {
  return done({ intent: 'unanswerable', metrics: ['count'], reason }, understood);
}

function numberAt(tokens: Token[], i: number): number | null {
  const t = tokens[i];
  if (!t) return null;
  if (t.kind === 'number' && Number.isInteger(t.value)) return t.value;
  if (t.kind === 'word' && NUMBER_WORDS[t.text] !== undefined) return NUMBER_WORDS[t.text]!;
  return null;
}

/** "trade 1234", "trade number 1234", "trade id 1234". */
function tradeIdAfterWord(tokens: Token[]): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || !/^trade$|^position$/.test(t.text)) continue;
    let j = i + 1;
    const next = tokens[j];
    if (next?.kind === 'word' && ['number', 'id', 'no'].includes(next.text)) j++;
    const n = tokens[j];
    if (n?.kind === 'number' && Number.isInteger(n.value)) return n.text;
  }
  return undefined;
}


/** A time token, or a bare hour followed by a zone, "h" or "o'clock" ("after 21 UTC"). */
function timeAt(tokens: Token[], i: number): number | null {
  const t = tokens[i];
  if (!t) return null;
  if (t.kind === 'time') return t.minutes;
  if (t.kind === 'number' && Number.isInteger(t.value) && t.value >= 0 && t.value <= 24) {
    const next = tokens[i + 1];
    if (next && (next.kind === 'zone' || (next.kind === 'word' && ['h', 'o\'clock', 'oclock', 'hours'].includes(next.text)))) return t.value * 60;
  }
  return null;
}

function parseTimeWindow(tokens: Token[]): { from: string; to: string } | null {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const w = t.kind === 'word' ? t.text : t.kind === 'punct' ? t.text : '';
    if (['between', 'from'].includes(w)) {
      const a = timeAt(tokens, i + 1);
      if (a === null) continue;
      // between A and B / from A to B / A - B
      for (let j = i + 2; j <= i + 4 && j < tokens.length; j++) {
        const sep = tokens[j]!;
        const s = sep.kind === 'word' || sep.kind === 'punct' ? sep.text : '';
        if (['and', 'to', 'until', 'till', '-'].includes(s)) {
          const b = timeAt(tokens, j + 1);
          if (b !== null) return { from: hhmm(a), to: hhmm(b) };
        }
      }
    }
    if (['after', 'since', 'past'].includes(w)) {
      const a = timeAt(tokens, i + 1);
      if (a !== null) return { from: hhmm(a), to: '24:00' };
    }
    if (['before', 'until', 'till'].includes(w)) {
      const b = timeAt(tokens, i + 1);
      if (b !== null) return { from: '00:00', to: hhmm(b) };
    }
  }
  // "13:00-17:00"
  for (let i = 0; i + 2 < tokens.length; i++) {
    const a = timeAt(tokens, i);
    if (a !== null && tokens[i + 1]!.kind === 'punct' && tokens[i + 1]!.text === '-') {
      const b = timeAt(tokens, i + 2);
      if (b !== null) return { from: hhmm(a), to: hhmm(b) };
    }
  }
  return null;
}

function parseDates(tokens: Token[], c: Cursor, ctx: ParseContext): { from: string | null; to: string | null } {
  const endMs = ctx.periodEnd ?? ctx.periodStart;
  const end = endMs !== null ? new Date(endMs) : null;
  const endYear = end?.getUTCFullYear() ?? null;
  const endMonth = end ? end.getUTCMonth() + 1 : null;
  const words = c.words;

  // Explicit ISO dates.
  const dates = tokens.map((t, i) => ({ t, i })).filter((x) => x.t.kind === 'date') as { t: Extract<Token, { kind: 'date' }>; i: number }[];
  if (dates.length >= 2) return { from: dates[0]!.t.iso, to: addDays(dates[1]!.t.iso, 1) };
  if (dates.length === 1) {
    const { t, i } = dates[0]!;
    const before = words[i - 1];
    if (before === 'since' || before === 'after' || before === 'from') return { from: before === 'after' ? addDays(t.iso, 1) : t.iso, to: null };
    if (before === 'before' || before === 'until') return { from: null, to: before === 'until' ? addDays(t.iso, 1) : t.iso };
    return { from: t.iso, to: addDays(t.iso, 1) };
  }

  // Relative to the data's end.
  const lastN = /^(last|past)$/;
  for (let i = 0; i < words.length; i++) {
    if (!lastN.test(words[i]!) && !['this', 'latest', 'recent'].includes(words[i]!)) continue;
    if (!end || endYear === null || endMonth === null) break;
    const n = numberAt(tokens, i + 1);
    const unit = n !== null ? words[i + 2] : words[i + 1];
    const count = n ?? 1;
    const endDay = isoDay(end.getTime());
    if (unit === 'month' || unit === 'months') {
      let y = endYear;
      let m = endMonth - (count - 1);
      while (m < 1) {
        m += 12;
        y--;
      }
      return { from: monthStart(y, m), to: nextMonthStart(endYear, endMonth) };
    }
    if (unit === 'year' || unit === 'years') return { from: `${endYear - (count - 1)}-01-01`, to: `${endYear + 1}-01-01` };
    if (unit === 'week' || unit === 'weeks') {
      const isoDow = ((end.getUTCDay() + 6) % 7) + 1;
      const monday = addDays(endDay, -(isoDow - 1) - 7 * (count - 1));
      return { from: monday, to: addDays(endDay, 1) };
    }
    if (unit === 'day' || unit === 'days') return { from: addDays(endDay, -(count - 1)), to: addDays(endDay, 1) };
    if (unit === 'quarter') {
      const q = Math.floor((endMonth - 1) / 3);
      return { from: monthStart(endYear, q * 3 + 1), to: q === 3 ? `${endYear + 1}-01-01` : monthStart(endYear, q * 3 + 4) };
    }
  }

  // Quarters: "Q1 2025".
  for (let i = 0; i < words.length; i++) {
    const q = /^q([1-4])$/.exec(words[i]!);
    if (!q) continue;
    const y = yearAt(tokens, i + 1) ?? endYear;
    if (y === null) continue;
    const first = (Number(q[1]) - 1) * 3 + 1;
    return { from: monthStart(y, first), to: first === 10 ? `${y + 1}-01-01` : monthStart(y, first + 3) };
  }

  // Month names, optionally with a year; "may" only after a preposition or before a year.
  const months: { m: number; y: number | null; i: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || MONTH_WORDS[t.text] === undefined) continue;
    const y = yearAt(tokens, i + 1);
    const prep = ['in', 'during', 'since', 'of', 'until', 'before', 'after', 'from', 'to', 'and', 'through', 'between'].includes(words[i - 1] ?? '');
    if ((t.text === 'may' || t.text === 'mar' || t.text === 'jun' || t.text === 'sep' || t.text === 'dec') && !prep && y === null) continue;
    months.push({ m: MONTH_WORDS[t.text]!, y, i });
  }
  const yearAlone = tokens.map((t, i) => ({ y: yearAt(tokens, i), i })).filter((x) => x.y !== null && !months.some((m) => m.i + 1 === x.i));
  const resolveYear = (m: number, y: number | null): number | null => {
    if (y !== null) return y;
    if (yearAlone.length > 0) return yearAlone[0]!.y;
    if (endYear === null || endMonth === null) return null;
    return m <= endMonth ? endYear : endYear - 1;
  };
  if (months.length >= 2) {
    const a = months[0]!;
    const b = months[1]!;
    const ya = resolveYear(a.m, a.y);
    const yb = resolveYear(b.m, b.y);
    if (ya !== null && yb !== null) return { from: monthStart(ya, a.m), to: nextMonthStart(yb, b.m) };
  }
  if (months.length === 1) {
    const a = months[0]!;
    const y = resolveYear(a.m, a.y);
    if (y !== null) {
      const before = words[a.i - 1];
      if (before === 'since' || before === 'after' || before === 'from') return { from: before === 'after' ? nextMonthStart(y, a.m) : monthStart(y, a.m), to: null };
      if (before === 'before') return { from: null, to: monthStart(y, a.m) };
      if (before === 'until') return { from: null, to: nextMonthStart(y, a.m) };
      return { from: monthStart(y, a.m), to: nextMonthStart(y, a.m) };
    }
  }
  if (yearAlone.length >= 2) return { from: `${yearAlone[0]!.y}-01-01`, to: `${yearAlone[1]!.y! + 1}-01-01` };
  if (yearAlone.length === 1) {
    const { y, i } = yearAlone[0]!;
    const before = words[i - 1];
    if (before === 'since' || before === 'from') return { from: `${y}-01-01`, to: null };
    if (before === 'after') return { from: `${y! + 1}-01-01`, to: null };
    if (before === 'before') return { from: null, to: `${y}-01-01` };
    return { from: `${y}-01-01`, to: `${y! + 1}-01-01` };
  }
  return { from: null, to: null };
}

function yearAt(tokens: Token[], i: number): number | null {
  const t = tokens[i];
  if (t?.kind === 'number' && Number.isInteger(t.value) && t.value >= 1990 && t.value <= 2100) return t.value;
  return null;
}
