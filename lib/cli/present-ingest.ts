import { isDone, type UnitOutcome } from '../ingest/ingest-response.js';
import type { Issue, IssueReport } from '../domain/issues.js';
import { describeLocation } from '../runtime/errors.js';
import { money, percent, table } from './output.js';

export interface IngestOutput {
  results: UnitOutcome[];
  skipped: { path: string; reason: string }[];
}

/** The ingest summary as a trader reads it. */
export function renderIngest(o: IngestOutput): string {
  const blocks = o.results.map(renderOutcome);
  if (o.skipped.length > 0) blocks.push(['Skipped files:', ...o.skipped.map((s) => `  ${s.path}: ${s.reason}`)].join('\n'));
  return blocks.join('\n\n');
}

function renderOutcome(r: UnitOutcome): string {
  if (r.status === 'failed') {
    const d = (r.error.details ?? {}) as Issue & { issues?: Issue[] };
    const lines = [`✗ ${r.name}: ${r.error.code}: ${r.error.message}`];
    const where = describeLocation(d);
    if (where) lines.push(`  at ${where}${d.expected ? `, expected ${d.expected}` : ''}${d.found !== undefined ? `, found "${d.found}"` : ''}`);
    for (const i of (d.issues ?? []).slice(1, 10)) lines.push(`  ${issueLine(i)}`);
    return lines.join('\n');
  }
  if (!isDone(r)) return `… ${r.name}: ${r.status} (job ${r.jobId})`;
  const tag = r.status === 'existing' ? 'already loaded' : 'loaded';
  if (r.kind === 'bars') {
    return `✓ bar dataset ${r.datasetId} (${tag}): ${r.name}\n  ${r.bars} bars ${r.symbol ?? ''} ${r.timeframe ?? ''} from ${r.first} to ${r.last} (${r.layout} layout)`;
  }
  if (r.kind === 'parameters') return `✓ parameter set ${r.parameterSetId} (${tag}): ${r.name} (${r.parameterKind})`;
  const s = r.summary;
  const c = s.accountCurrency;
  const rows: (string | number | null)[][] = [
    ['trades', `${s.trades.toLocaleString('en-US')}${s.period ? `  (${s.period.start.slice(0, 10)} to ${s.period.end.slice(0, 10)})` : ''}`],
    ['symbols', s.symbols.map((x) => `${x.symbol} ${x.trades}`).join(', ')],
    ['net profit', money(s.netProfit, c)],
    ['gross profit / loss', `${money(s.grossProfit)} / ${money(s.grossLoss)}`],
    ['commissions / swaps', `${money(s.commissions)} / ${money(s.swaps)}${s.unitemisedCosts !== null ? `  (not itemised by the source: ${money(s.unitemisedCosts)})` : ''}`],
    ['win rate', `${percent(s.winRate)}  (${s.winningTrades} won, ${s.losingTrades} lost)`],
    ['profit factor', s.profitFactor === null ? '-' : typeof s.profitFactor === 'number' ? s.profitFactor.toFixed(2) : s.profitFactor],
    ['max balance drawdown', `${money(s.maxBalanceDrawdown.absolute, c)}${s.maxBalanceDrawdown.percent !== null ? ` (${s.maxBalanceDrawdown.percent.toFixed(2)} %)` : ''}`],
    ['balance', `${money(s.startingBalance)} → ${money(s.endingBalance)}`],
  ];
  const lines = [`✓ backtest ${r.backtestId} (${tag}): ${r.name}`, indent(table([['', ''], ...rows]).split('\n').slice(1).join('\n'))];
  lines.push(...renderIssues(r.issues));
  return lines.join('\n');
}

function renderIssues(report: IssueReport): string[] {
  if (report.rejects + report.warnings === 0) return ['  no warnings'];
  const lines = [`  ${report.warnings} warning(s), ${report.rejects} rejected row(s): ${report.byCode.map((b) => `${b.code} ${b.count}`).join(', ')}`];
  for (const i of report.issues.slice(0, 10)) lines.push(`    ${issueLine(i)}`);
  if (report.issues.length > 10 || report.truncated) lines.push(`    … (--json shows up to ${report.issues.length})`);
  return lines;
}

function issueLine(i: Issue): string {
  return `${i.severity} ${i.code} at ${describeLocation(i)}: ${i.message}`;
}

const indent = (s: string) => s.split('\n').map((l) => `  ${l}`).join('\n');
