import { rowObjects, type Cell, type Facts, type TradeCitation } from './facts.js';
import type { Metric, Plan } from './plan-schema.js';
import { ASKABLE } from './unanswerable.js';

/**
 * Deterministic prose from the facts: templates per kind of answer, every number taken from a facts
 * cell as written there (grouped with thousands separators), so the number check passes by construction.
 */

export interface ComposeInput {
  plan: Plan;
  facts: Facts;
  currency: string | null;
  unanswerable?: string;
  /** For `similar`: the trade asked about. */
  target?: TradeCitation;
}

/** "-1234.5" -> "-1,234.50"; keeps every decimal the text has (at least two). */
export function groupDigits(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  const int = m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m[1]}${int}${m[3] !== undefined ? `.${m[3]}` : ''}`;
}

const METRIC_NAMES: Record<Metric, string> = {
  count: 'trades',
  net: 'net profit',
  gross_profit: 'gross profit',
  gross_loss: 'gross loss',
  win_rate: 'win rate',
  profit_factor: 'profit factor',
  average_trade: 'average trade',
  expectancy: 'expectancy per trade',
  average_win: 'average win',
  average_loss: 'average loss',
  average_duration: 'average holding time',
  max_duration: 'longest holding time',
  largest_win: 'largest win',
  largest_loss: 'largest loss',
  commission: 'commissions',
  swap: 'swaps',
  max_drawdown: 'maximum drawdown',
  max_consecutive_wins: 'longest winning streak',
  max_consecutive_losses: 'longest losing streak',
};

function moneyText(v: Cell, currency: string | null): string {
  if (v === null) return 'n/a';
  return `${groupDigits(String(v))}${currency ? ` ${currency}` : ''}`;
}

function minutesText(v: Cell): string {
  if (v === null) return 'n/a';
  return `${groupDigits(String(v))} minutes`;
}

const day = (iso: Cell) => (typeof iso === 'string' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'n/a');

/** One metric of one row, in words. */
function metricText(m: Metric, r: Record<string, Cell>, currency: string | null): string {
  switch (m) {
    case 'count':
      return `${r.trades} trades`;
    case 'win_rate':
      return r.win_rate_pct === null ? 'win rate n/a' : `win rate ${r.win_rate_pct} % (${r.wins} of ${r.trades} won)`;
    case 'profit_factor':
      return `profit factor ${r.profit_factor ?? 'n/a (no winners and no losers)'}`;
    case 'average_duration':
      return `average holding time ${minutesText(r.average_duration_min ?? null)}`;
    case 'max_duration':
      return `longest holding time ${minutesText(r.max_duration_min ?? null)}`;
    case 'max_drawdown': {
      const pct = r.max_drawdown_pct !== null && r.max_drawdown_pct !== undefined ? ` (${r.max_drawdown_pct} % of the peak balance)` : '';
      const when = r.trough_at ? `, from ${r.peak_at ? `the peak on ${day(r.peak_at)}` : 'the start'} to the trough on ${day(r.trough_at)}` : '';
      const deepest = r.deepest_pct && r.deepest_pct !== r.max_drawdown_pct ? `; the deepest fall in percent was ${r.deepest_pct} %` : '';
      return `maximum drawdown ${moneyText(r.max_drawdown ?? null, currency)}${pct}${when}${deepest}`;
    }
    case 'max_consecutive_wins':
      return `longest winning streak ${r.max_consecutive_wins} trades${r.win_streak_from ? ` (${day(r.win_streak_from)} to ${day(r.win_streak_to ?? null)}, net ${moneyText(r.win_streak_net ?? null, currency)})` : ''}`;
    case 'max_consecutive_losses':
      return `longest losing streak ${r.max_consecutive_losses} trades${r.loss_streak_from ? ` (${day(r.loss_streak_from)} to ${day(r.loss_streak_to ?? null)}, net ${moneyText(r.loss_streak_net ?? null, currency)})` : ''}`;
    case 'largest_loss':
      return `largest loss ${moneyText(r.largest_loss ?? null, currency)}${r.loss_trade_id ? ` on trade #${r.loss_trade_id} (${r.loss_symbol} ${r.loss_direction}, opened ${day(r.loss_entry_time ?? null)}, closed ${day(r.loss_exit_time ?? null)})` : ''}`;
    case 'largest_win':
      return `largest win ${moneyText(r.largest_win ?? null, currency)}${r.win_trade_id ? ` on trade #${r.win_trade_id} (${r.win_symbol} ${r.win_direction}, opened ${day(r.win_entry_time ?? null)}, closed ${day(r.win_exit_time ?? null)})` : ''}`;
    default:
      return `${METRIC_NAMES[m]} ${moneyText(r[m] ?? null, currency)}`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function composeAnswer(input: ComposeInput): string {
  const { plan, facts, currency } = input;
  if (input.unanswerable !== undefined || plan.intent === 'unanswerable') {
    return `This cannot be answered from this data: ${input.unanswerable ?? plan.reason}. You can ask about ${ASKABLE.join('; ')}.`;
  }
  const rows = rowObjects(facts);
  const notes = facts.notes.length > 0 ? ` Note: ${facts.notes.join('; ')}.` : '';
  if (plan.intent === 'similar') {
    if (!input.target) return `There is no trade #${plan.tradeId} in this backtest.`;
    const t = input.target;
    const list = rows.map((r) => `#${r.trade_id} (${r.symbol} ${r.direction}, ${day(r.entry_time ?? r.exit_time ?? null)}, net ${moneyText(r.net ?? null, currency)})`);
    return `Trades most like #${t.id} (${t.symbol} ${t.direction}, opened ${day(t.entryTime)}, net ${moneyText(t.net, currency)}): ${list.join('; ') || 'none found'}.${notes}`;
  }
  if (rows.length === 0) return `No trades match: ${facts.scope}.${notes}`;

  if (plan.intent === 'avoid') {
    const g = plan.groupBy ?? 'weekday';
    const avoid = rows.filter((r) => r.verdict === 'avoid');
    const small = rows.filter((r) => r.verdict === 'losing, sample too small');
    const describe = (r: Record<string, Cell>) =>
      `${r[g]}: net ${moneyText(r.net ?? null, currency)} over ${r.trades} trades, win rate ${r.win_rate_pct} %${r.z !== null ? ` (z ${r.z}${Math.abs(Number(r.z)) >= 2 ? ', unlikely to be chance' : ', could be chance'})` : ''}`;
    const head =
      avoid.length > 0
        ? `Avoid ${avoid.map((r) => r[g]).join(', ')}. ${avoid.map(describe).join('. ')}.`
        : `No ${g} with at least ${plan.minSample} trades lost money overall. The weakest was ${describe(rows[0]!)}.`;
    const smallText = small.length > 0 ? ` Also losing, but with fewer than ${plan.minSample} trades (too few to judge): ${small.map(describe).join('. ')}.` : '';
    return `${head}${smallText} Scope: ${facts.scope}.${notes}`;
  }

  const metrics = plan.metrics.filter((m) => m !== 'count' || plan.metrics.length === 1);
  const say = (r: Record<string, Cell>) => {
    const parts = metrics.map((m) => metricText(m, r, currency));
    if (!plan.metrics.includes('count')) parts.push(`${r.trades} trades`);
    return parts.join(', ');
  };
  if (!plan.groupBy) {
    return `${capitalise(say(rows[0]!))}. Scope: ${facts.scope}.${notes}`;
  }
  const g = plan.groupBy;
  const items = rows.map((r) => `${r[g]}: ${say(r)}`);
  if (plan.rank) {
    const what = `${plan.rank.order} ${plan.rank.limit === 1 ? g : `${plan.rank.limit} ${g} groups`} by ${METRIC_NAMES[plan.rank.by]}`;
    return `${capitalise(what)}: ${items.join('; ')}. Scope: ${facts.scope}.${notes}`;
  }
  return `By ${g}: ${items.join('; ')}. Scope: ${facts.scope}.${notes}`;
}
