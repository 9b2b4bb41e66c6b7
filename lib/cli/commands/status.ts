import { platformStatus } from '../../pipeline/status.js';
import type { Config } from '../../runtime/config.js';
import { CliError } from '../cli-error.js';
import { table, type Output } from '../output.js';
import { resolveTarget, withDirectPlatform } from '../target.js';

type Status = Awaited<ReturnType<typeof platformStatus>>;

export async function statusCommand(config: Config, out: Output, opts: { url?: string; limit: number }): Promise<void> {
  const target = await resolveTarget(config, opts.url);
  let status: Status;
  if (target.kind === 'remote') {
    const res = await target.client.call('status', { query: { limit: String(opts.limit) } });
    if (res.status !== 200) throw new CliError(`status failed with HTTP ${res.status}`, 1, res.body);
    status = res.body as Status;
  } else {
    status = await withDirectPlatform(config, (p) => platformStatus(p.ports.store, { limit: opts.limit }));
  }
  out.result(status, renderStatus);
}

function renderStatus(s: Status): string {
  const parts: string[] = [];
  parts.push('Jobs');
  parts.push(
    s.jobs.length === 0
      ? '  (none)'
      : table([
          ['id', 'status', 'stage', 'progress', 'updated', 'error'],
          ...s.jobs.map((j) => [
            j.id,
            j.status,
            j.stage,
            j.progress.total ? `${j.progress.done}/${j.progress.total} ${j.progress.unit ?? ''}` : '',
            j.updatedAt,
            (j.error as { message?: string } | null)?.message?.slice(0, 80) ?? '',
          ]),
        ]),
  );
  if (s.uploads) {
    parts.push('', 'Uploads');
    parts.push(
      s.uploads.length === 0
        ? '  (none)'
        : table([['sha256', 'name', 'bytes', 'format', 'status'], ...s.uploads.map((u) => [u.sha256.slice(0, 12), u.name, u.sizeBytes, u.format, u.status])]),
    );
  }
  if (s.deadLetters) {
    parts.push('', 'Dead letters');
    parts.push(
      s.deadLetters.length === 0
        ? '  (none)'
        : table([['stage', 'message', 'attempts', 'at', 'last error'], ...s.deadLetters.map((d) => [d.stage, d.messageId, d.attempts, d.deadAt, d.lastError.slice(0, 80)])]),
    );
  }
  if (s.backtests) {
    parts.push('', 'Backtests');
    parts.push(
      s.backtests.length === 0
        ? '  (none)'
        : table([['id', 'name', 'trades', 'symbols', 'from', 'to'], ...s.backtests.map((b) => [b.id, b.name, b.tradeCount, b.symbols.join(' '), b.periodStart?.slice(0, 10), b.periodEnd?.slice(0, 10)])]),
    );
  }
  if (s.barDatasets) {
    parts.push('', 'Bar datasets');
    parts.push(
      s.barDatasets.length === 0
        ? '  (none)'
        : table([['id', 'name', 'bars', 'symbol', 'timeframe', 'layout'], ...s.barDatasets.map((b) => [b.id, b.name, b.barCount, b.symbol, b.timeframe, b.layout])]),
    );
  }
  return parts.join('\n');
}
