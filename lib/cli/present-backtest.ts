import type { CandidateOutput, LibraryStrategy, SingleBacktestResponse } from '../backtesting/index.js';
import { money, percent, table } from './output.js';

export interface BacktestOutput extends SingleBacktestResponse {
  /** Where `--trades` wrote the trades, and how many. */
  tradesFile?: { path: string; trades: number };
}

/** One run as a trader reads it: what ran on what, the headline metrics, and what happened to the result. */
export function renderBacktest(o: BacktestOutput): string {
  const c = o.candidates[0];
  const head = `${o.strategy} on ${o.datasetId} (${o.symbol}, ${o.bars.count.toLocaleString('en-US')} bars${o.bars.first ? `, ${o.bars.first.slice(0, 16)} to ${o.bars.last?.slice(0, 16)}` : ''})`;
  if (!c) return head;
  const blocks = [head, ...o.candidates.map((candidate) => renderCandidate(candidate))];
  const notes: string[] = [];
  if (o.cache.hits.length > 0) notes.push(`from the result cache (${o.cache.kind})`);
  else notes.push(`computed in ${o.run.elapsedMs} ms on ${o.run.threads} worker thread${o.run.threads === 1 ? '' : 's'}`);
  if (o.tradesFile) notes.push(`${o.tradesFile.trades} trades written to ${o.tradesFile.path}`);
  blocks.push(notes.join('; '));
  return blocks.join('\n\n');
}

function renderCandidate(c: CandidateOutput): string {
  const params = Object.entries(c.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  if (!c.ok) return `✗ ${params}\n  ${c.error.code}: ${c.error.message}`;
  const m = c.metrics as Record<string, number | string | null>;
  const num = (v: unknown, digits = 2) => (typeof v === 'number' ? v.toFixed(digits) : v === null || v === undefined ? '-' : String(v));
  const rows: (string | number | null)[][] = [
    ['net profit', money(m.netProfit as number)],
    ['trades', `${m.totalTrades} (${m.winningTrades} won, ${m.losingTrades} lost, win rate ${percent(m.winRate as number | null)})`],
    ['profit factor', num(m.profitFactor)],
    ['average trade', money(m.averageTrade as number | null)],
    ['commissions', money(m.commissions as number | null)],
    ['max equity drawdown', `${money(m.maxEquityDrawdown as number)} (${num(m.maxEquityDrawdownPercent)} %)`],
    ['max balance drawdown', `${money(m.maxBalanceDrawdown as number)} (${num(m.maxBalanceDrawdownPercent)} %)`],
    ['sharpe / sortino', `${num(m.sharpe)} / ${num(m.sortino)}`],
    ['cagr', typeof m.cagr === 'number' ? percent(m.cagr) : '-'],
    ['balance → equity', `${money(m.startingBalance as number)} → ${money(c.account.balance)} / ${money(c.account.equity)}`],
    ['open positions', c.openPositions.length],
  ];
  const lines = [`✓ ${params}`, ...table([['', ''], ...rows]).split('\n').slice(1).map((l) => `  ${l}`)];
  if (c.backtestId) lines.push(`  stored as backtest ${c.backtestId} (${c.stored === 'created' ? 'new' : 'already stored'})`);
  return lines.join('\n');
}

/** `--list-strategies`: each library strategy with its parameter space. */
export function renderLibrary(o: { strategies: LibraryStrategy[] }): string {
  return o.strategies
    .map((s) => {
      const rows = s.parameters.map((p) => [
        p.name,
        p.type,
        String(p.default),
        p.values ? p.values.join('|') : p.min !== undefined || p.max !== undefined ? `${p.min ?? ''}..${p.max ?? ''}${p.step !== undefined ? ` step ${p.step}` : ''}` : '',
        p.optimize ? 'yes' : '',
      ]);
      return [`${s.name}${s.description ? `: ${s.description}` : ''}`, ...table([['parameter', 'type', 'default', 'range', 'optimised'], ...rows]).split('\n').map((l) => `  ${l}`)].join('\n');
    })
    .join('\n\n');
}
