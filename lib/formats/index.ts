import { AppError } from '../runtime/errors.js';
import { readHistoryCsv } from './ctrader-history-csv.js';
import { readEventsJson } from './events-json.js';
import { readReportHtml } from './report-html.js';
import { readReportJson } from './report-json.js';
import type { ByteSource, FormatId, ReadOptions, TradeFileReader } from './types.js';

export { byteSourceFrom, headOf } from './byte-source.js';
export { readCbotset } from './cbotset.js';
export { readHistoryCsv } from './ctrader-history-csv.js';
export { ACCEPTED_FORMATS, DETECT_HEAD_BYTES, detectFormat } from './detect.js';
export { readEventsJson, stopHistoryOf } from './events-json.js';
export { readOhlcCsv } from './ohlc-csv.js';
export { readOptimisationParams } from './optimisation-params.js';
export { readReportHtml } from './report-html.js';
export { readReportJson } from './report-json.js';
export type * from './types.js';

const TRADE_READERS: Partial<Record<FormatId, (source: ByteSource, opts: ReadOptions) => TradeFileReader>> = {
  'ctrader-history-csv': readHistoryCsv,
  'ctrader-account-history-csv': readHistoryCsv,
  'ctrader-report-json': readReportJson,
  'ctrader-report-html': readReportHtml,
  'ctrader-events-json': readEventsJson,
};

/** The reader for a detected trade-bearing format. */
export function readTrades(format: FormatId, source: ByteSource, opts: ReadOptions): TradeFileReader {
  const read = TRADE_READERS[format];
  if (!read) {
    throw new AppError('invalid_input', `${opts.file} is a ${format} file, which carries no trades`, {
      file: opts.file,
      expected: `one of ${Object.keys(TRADE_READERS).join(', ')}`,
      found: format,
    });
  }
  return read(source, opts);
}
