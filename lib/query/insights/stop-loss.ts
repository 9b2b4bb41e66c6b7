import type { Store } from '../../ports/store.js';
import type { BacktestInfo } from '../execute.js';
import { money } from '../facts.js';
import type { Finding } from './types.js';

export interface CloseReasonStat {
  reason: string;
  trades: number;
  sharePct: string;
  net: string;
  averageNet: string;
  winRatePct: string;
}

/** How trades end: the share of stop-loss exits and what they cost, next to the other exits. */
export async function stopLossInsights(store: Store, bt: BacktestInfo): Promise<{ reasons: CloseReasonStat[]; findings: Finding[]; note: string | null }> {
  const rows = await store.query<Record<string, unknown>>(
    `select close_reason, count(*)::int as n, sum(net)::text as net, round(avg(net), 2)::text as avg_net,
       round(100.0 * count(*) filter (where net > 0) / count(*), 2)::text as win_rate,
       round(100.0 * count(*) / sum(count(*)) over (), 2)::text as share
     from trades where backtest_id = $1 group by close_reason order by count(*) desc, close_reason`,
    [bt.id],
  );
  const reasons: CloseReasonStat[] = rows.map((r) => ({
    reason: String(r.close_reason),
    trades: Number(r.n),
    sharePct: String(r.share),
    net: money(r.net)!,
    averageNet: money(r.avg_net)!,
    winRatePct: String(r.win_rate),
  }));
  if (reasons.every((r) => r.reason === 'unknown')) {
    return { reasons, findings: [], note: 'the source does not record why trades closed, so stop-loss exits cannot be told apart' };
  }
  const sl = reasons.find((r) => r.reason === 'stop_loss');
  const findings: Finding[] = [];
  if (sl) {
    const other = await store.query<Record<string, unknown>>(
      `select round(avg(net), 2)::text as avg_loss, count(*)::int as n from trades
       where backtest_id = $1 and net < 0 and close_reason <> 'stop_loss'`,
      [bt.id],
    );
    const o = other[0];
    findings.push({
      kind: 'stop_loss',
      text: `${sl.sharePct} % of trades (${sl.trades}) closed at the stop loss, averaging ${sl.averageNet} each (net ${sl.net} in all)${
        o && Number(o.n) > 0 ? `; losers closed any other way averaged ${money(o.avg_loss)} over ${Number(o.n)} trades` : ''
      }.`,
      facts: { stop_loss_share_pct: sl.sharePct, stop_loss_trades: sl.trades, stop_loss_average: sl.averageNet, stop_loss_net: sl.net, other_losers_average: o ? money(o.avg_loss) : null, other_losers: o ? Number(o.n) : null },
    });
  }
  return { reasons, findings, note: sl ? null : 'no trade closed at a stop loss' };
}
