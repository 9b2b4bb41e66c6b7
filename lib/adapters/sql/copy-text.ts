import { CLOSE_REASONS, DIRECTIONS } from '../../domain/trade.js';
import type { TradeColumns } from '../../domain/trade-columns.js';
import type { BarColumns } from '../../formats/types.js';
import { CopyWriter } from './copy-writer.js';

/** Rows for `COPY ... FROM` in PostgreSQL's text format, one chunk per batch of columns. */

export const TRADE_COPY_COLUMNS = [
  'backtest_id', 'seq', 'source_id', 'symbol', 'direction', 'quantity', 'volume', 'entry_time', 'exit_time',
  'entry_price', 'exit_price', 'gross', 'commission', 'swap', 'net', 'pips', 'balance_after', 'label',
  'close_reason', 'stops', 'metadata', 'source_file', 'source_line',
] as const;

/** `firstSeq` numbers rows across batches. */
export function tradeCopyRows(backtestId: string, c: TradeColumns, firstSeq: number, w = new CopyWriter(c.length * 200)): Buffer {
  for (let i = 0; i < c.length; i++) {
    w.text(backtestId);
    w.number(firstSeq + i);
    w.text(c.sourceId[i]);
    w.text(c.symbol[i]);
    w.word(DIRECTIONS[c.direction[i]!]!);
    w.number(c.quantity[i]!);
    w.number(c.volume[i]!);
    w.time(c.entryTime[i]!);
    w.time(c.exitTime[i]!);
    w.number(c.entryPrice[i]!);
    w.number(c.exitPrice[i]!);
    w.number(c.gross[i]!);
    w.number(c.commission[i]!);
    w.number(c.swap[i]!);
    w.number(c.net[i]!);
    w.number(c.pips[i]!);
    w.number(c.balanceAfter[i]!);
    w.text(c.label[i]);
    w.word(CLOSE_REASONS[c.closeReason[i]!]!);
    w.text(c.stops[i]);
    w.text(c.metadata[i]);
    w.text(c.file);
    w.number(c.line[i]!);
    w.endRow();
  }
  return w.take();
}

export const BAR_COPY_COLUMNS = ['dataset_id', 'time', 'open', 'high', 'low', 'close', 'volume'] as const;

export function barCopyRows(datasetId: string, b: BarColumns, w = new CopyWriter(b.length * 100)): Buffer {
  for (let i = 0; i < b.length; i++) {
    w.text(datasetId);
    w.time(b.time[i]!);
    w.number(b.open[i]!);
    w.number(b.high[i]!);
    w.number(b.low[i]!);
    w.number(b.close[i]!);
    w.number(b.volume[i]!);
    w.endRow();
  }
  return w.take();
}
