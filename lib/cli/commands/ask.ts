import type { Answer } from '../../query/answer.js';
import { QueryInput, runQuery, type QueryResult } from '../../query/run-query.js';
import type { Config } from '../../runtime/config.js';
import { CliError, EXIT } from '../cli-error.js';
import { table, type Output } from '../output.js';
import { resolveTarget, withDirectPlatform } from '../target.js';

/**
 * Runs the `query` function: through a running runner when one answers, else in this process on the
 * data directory. Both paths call the same `runQuery`.
 */
export async function callQuery(config: Config, input: QueryInput, url: string | undefined): Promise<QueryResult> {
  const target = await resolveTarget(config, url);
  if (target.kind === 'remote') {
    const res = await target.client.call('query', { method: 'POST', body: JSON.stringify(input), headers: { 'content-type': 'application/json' } });
    if (res.status !== 200) {
      const message = (res.body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
      throw new CliError(`query failed: ${message}`, res.status === 400 ? EXIT.usage : EXIT.failed, res.body);
    }
    return res.body as QueryResult;
  }
  return withDirectPlatform(config, (p) => runQuery(p.ports, input));
}

export function parseInput(raw: unknown): QueryInput {
  const parsed = QueryInput.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '), EXIT.usage);
  return parsed.data;
}

export async function askCommand(config: Config, out: Output, question: string, opts: { backtest?: string; k?: number; url?: string }): Promise<void> {
  const input = parseInput({ question, mode: 'answer', ...(opts.backtest ? { backtestId: opts.backtest } : {}), ...(opts.k ? { k: opts.k } : {}) });
  const result = await callQuery(config, input, opts.url);
  out.result(result, (r: Answer) => renderAnswer(r));
}

function renderAnswer(r: Answer): string {
  const parts = [r.answer];
  if (r.facts.rows.length > 0) parts.push('', table([r.facts.columns, ...r.facts.rows.slice(0, 40)]));
  if (r.facts.rows.length > 40) parts.push(`... ${r.facts.rows.length - 40} more rows (--json for all)`);
  const cites: string[] = [];
  if (r.citations.trades.length > 0) cites.push(`trades ${r.citations.trades.map((t) => `#${t.id}`).join(', ')}`);
  if (r.citations.dates.length > 0) cites.push(`dates ${[...new Set(r.citations.dates)].join(', ')}`);
  if (r.citations.chunks.length > 0) cites.push(`evidence ${r.citations.chunks.map((c) => `${c.id} (${c.score})`).join(', ')}`);
  if (cites.length > 0) parts.push('', `Citations: ${cites.join('; ')}`);
  for (const n of r.notes) parts.push(`note: ${n}`);
  parts.push(`backtest ${r.backtestId}; plan by ${r.planSource}; model ${r.model}`);
  return parts.join('\n');
}
