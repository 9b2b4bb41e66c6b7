import { IssueLog } from '../domain/issues.js';
import type { PlannedFile } from '../domain/ingest/plan.js';
import {
  detectFormat,
  readCbotset,
  readEventsJson,
  readOhlcCsv,
  readOptimisationParams,
  readTrades,
  stopHistoryOf,
  type BarFileReader,
  type ByteSource,
  type Detection,
  type FormatId,
  type OptimisationParams,
  type ParameterSet,
  type ReadOptions,
  type StopHistory,
  type TradeFileReader,
} from '../formats/index.js';
import type { Blobs } from '../ports/blobs.js';

/** Readers over stored blobs: the formats module reads bytes, this module knows where bytes live. */
export const sniff = (head: Uint8Array, name: string): Detection => detectFormat(head, name);

export const openTradeReader = (format: FormatId, source: ByteSource, opts: ReadOptions): TradeFileReader => readTrades(format, source, opts);

export const openBarReader = (source: ByteSource, opts: ReadOptions): BarFileReader => readOhlcCsv(source, opts);

export const readCbotsetFile = (blobs: Blobs, file: PlannedFile): Promise<ParameterSet> => readCbotset(blobs.get(file.sha256), { file: file.path });

export const readOptimisationParamsFile = (blobs: Blobs, file: PlannedFile): Promise<OptimisationParams> =>
  readOptimisationParams(blobs.get(file.sha256), { file: file.path });

/**
 * The stop-loss / take-profit history in an events.json beside a report. Only the stops are wanted,
 * so the symbol is irrelevant and problems in the file are not the backtest's problems.
 */
export async function stopHistoryFromEvents(blobs: Blobs, file: PlannedFile, maxLineBytes: number): Promise<StopHistory> {
  const reader = readEventsJson(blobs.get(file.sha256), { file: file.path, maxLineBytes, symbol: 'n/a', issues: new IssueLog(0) });
  const all = [];
  for await (const batch of reader.batches()) all.push(...batch);
  return stopHistoryOf(all);
}
