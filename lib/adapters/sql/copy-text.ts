import { CLOSE_REASONS, DIRECTIONS } from '../../domain/trade.js';
import type { TradeColumns } from '../../domain/trade-columns.js';
import type { BarColumns } from '../../formats/types.js';

/** PostgreSQL COPY text format: tab-separated, `\N` is null, backslash escapes for control characters. */
export const COPY_NULL = '\\N';

const NEEDS_ESCAPE = /[\\\t\n\r]/;
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return COPY_NULL;
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

const copyNumber = (v: number): string => (Number.isNaN(v) ? COPY_NULL : String(v));
const copyTime = (ms: number): string => (Number.isNaN(ms) ? COPY_NULL : new Date(ms).toISOString());

export const TRADE_COPY_COLUMNS = [
  'backtest_id', 'seq', 'source_id', 'symbol', 'direction', 'quantity', 'volume', 'entry_time', 'exit_time',
  'entry_price', 'exit_price', 'gross', 'commission', 'swap', 'net', 'pips', 'balance_after', 'label',
  'close_reason', 'stops', 'metadata', 'source_file', 'source_line',
] as const;

/** One COPY text chunk per batch; `firstSeq` numbers rows across batches. */
export function tradeCopyText(backtestId: string, c: TradeColumns, firstSeq: number): string {
  const id = copyText(backtestId);
  const file = copyText(c.file);
  const parts = new Array<string>(c.length);
  for (let i = 0; i < c.length; i++) {
    parts[i] =
      `${id}\t${firstSeq + i}\t${copyText(c.sourceId[i])}\t${copyText(c.symbol[i])}\t${DIRECTIONS[c.direction[i]!]}\t` +
      `${copyNumber(c.quantity[i]!)}\t${copyNumber(c.volume[i]!)}\t${copyTime(c.entryTime[i]!)}\t${copyTime(c.exitTime[i]!)}\t` +
      `${copyNumber(c.entryPrice[i]!)}\t${copyNumber(c.exitPrice[i]!)}\t${copyNumber(c.gross[i]!)}\t` +
      `${copyNumber(c.commission[i]!)}\t${copyNumber(c.swap[i]!)}\t${copyNumber(c.net[i]!)}\t${copyNumber(c.pips[i]!)}\t` +
      `${copyNumber(c.balanceAfter[i]!)}\t${copyText(c.label[i])}\t${CLOSE_REASONS[c.closeReason[i]!]}\t` +
      `${copyText(c.stops[i])}\t${copyText(c.metadata[i])}\t${file}\t${copyNumber(c.line[i]!)}\n`;
  }
  return parts.join('');
}

export const BAR_COPY_COLUMNS = ['dataset_id', 'time', 'open', 'high', 'low', 'close', 'volume'] as const;

export function barCopyText(datasetId: string, b: BarColumns): string {
  const id = copyText(datasetId);
  const parts = new Array<string>(b.length);
  for (let i = 0; i < b.length; i++) {
    parts[i] =
      `${id}\t${copyTime(b.time[i]!)}\t${copyNumber(b.open[i]!)}\t${copyNumber(b.high[i]!)}\t` +
      `${copyNumber(b.low[i]!)}\t${copyNumber(b.close[i]!)}\t${copyNumber(b.volume[i]!)}\n`;
  }
  return parts.join('');
}
