import type { Insights } from '../../query/insights/index.js';
import type { Config } from '../../runtime/config.js';
import type { Output } from '../output.js';
import { callQuery, parseInput } from './ask.js';

export async function insightsCommand(config: Config, out: Output, backtestId: string | undefined, opts: { url?: string }): Promise<void> {
  const input = parseInput({ mode: 'insights', ...(backtestId ? { backtestId } : {}) });
  const result = await callQuery(config, input, opts.url);
  out.result(result, (r: Insights) => renderInsights(r));
}

function renderInsights(r: Insights): string {
  const parts = [`Insights for backtest ${r.backtestId} (${r.name}, ${r.trades} trades)`, ''];
  r.findings.forEach((f, i) => parts.push(`${i + 1}. ${f.text}`));
  if (r.findings.length === 0) parts.push('(no findings)');
  const imp = r.features.importance.map((f) => `${f.feature} ${f.importance.toFixed(3)} (shuffled ${f.shadow.toFixed(3)})`);
  if (imp.length > 0) parts.push('', `Feature importance (random forest, ${r.features.sampled} trades): ${imp.join(', ')}`);
  for (const n of r.notes) parts.push(`note: ${n}`);
  return parts.join('\n');
}
