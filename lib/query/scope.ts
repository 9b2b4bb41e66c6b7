import type { Plan } from './plan-schema.js';
import { addDays, SESSION_LABELS, sessionWindow, hhmm, WEEKDAY_NAMES } from './windows.js';

interface ScopeBacktest {
  name: string;
  tradeCount: number;
}


/** The plan's filters in words: which trades the facts cover and on which clock. */
export function describeScope(plan: Plan, bt: ScopeBacktest): string {
  const f = plan.filters;
  const parts: string[] = [];
  const side = f.direction === 'sell' ? 'sells (shorts)' : f.direction === 'buy' ? 'buys (longs)' : 'trades';
  const outcome = f.outcome === 'win' ? 'winning ' : f.outcome === 'loss' ? 'losing ' : '';
  parts.push(`${f.symbols.length > 0 ? `${f.symbols.join('/')} ` : ''}${outcome}${side}`);
  const clock = plan.timeBasis === 'exit' ? 'closed' : 'opened';
  if (f.weekdays.length > 0) parts.push(`${clock} on ${f.weekdays.map((d) => WEEKDAY_NAMES[d - 1]).join(', ')}`);
  if (f.timeOfDay) parts.push(`${clock} ${f.timeOfDay.from}-${f.timeOfDay.to} ${plan.zone}`);
  if (f.sessions.length > 0) {
    parts.push(`in the ${f.sessions.map((s) => `${SESSION_LABELS[s]} session (${hhmm(sessionWindow(s).from)}-${hhmm(sessionWindow(s).to)} UTC)`).join(' or ')}`);
  }
  if (f.from && f.to) parts.push(`${clock} ${f.from} to ${addDays(f.to, -1)}`);
  else if (f.from) parts.push(`${clock} from ${f.from}`);
  else if (f.to) parts.push(`${clock} before ${f.to}`);
  if (f.closeReasons.length > 0) parts.push(`closed by ${f.closeReasons.join(' or ').replace(/_/g, ' ')}`);
  const filtered = parts.length > 1 || f.symbols.length > 0 || f.direction || f.outcome;
  const zoned = plan.zone !== 'UTC' && (f.weekdays.length > 0 || f.from || f.to) ? ` (dates and weekdays in ${plan.zone})` : '';
  const base = filtered ? `${parts[0]}${parts.length > 1 ? ` ${parts.slice(1).join(', ')}` : ''}${zoned}` : `all ${bt.tradeCount} trades`;
  const grouping = plan.groupBy && ['weekday', 'hour', 'session', 'day', 'month', 'year'].includes(plan.groupBy) ? `; ${plan.groupBy} by ${clock === 'opened' ? 'entry' : 'exit'} time in ${plan.zone}` : '';
  const ranking = plan.rank ? `; ${plan.rank.order} ${plan.rank.limit} by ${plan.rank.by.replace(/_/g, ' ')}${plan.minSample > 1 ? ` among groups of ${plan.minSample}+ trades` : ''}` : '';
  return `${base} of backtest "${bt.name}"${grouping}${ranking}`;
}
