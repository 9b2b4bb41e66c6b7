import type { SourcedTrade, StopChange } from '../domain/trade.js';
import type { IssueLog } from '../domain/issues.js';

/** Every input format the platform reads, detected by content rather than by file name. */
export const FORMAT_IDS = [
  'ctrader-history-csv',
  'ctrader-account-history-csv',
  'ctrader-report-json',
  'ctrader-report-html',
  'ctrader-events-json',
  'ctrader-cbotset',
  'ctrader-optimisation-params',
  'ohlc-csv',
  'zip',
  'text-log',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** What the sniffed bytes say a file is. */
export interface Detection {
  format: FormatId;
  /** What a file of this format contributes. */
  role: 'trades' | 'bars' | 'parameters' | 'archive' | 'log';
}

/** Bytes as they stream in from the blob store or a request. */
export type ByteSource = AsyncIterable<Uint8Array>;

export interface ReadOptions {
  /** Name used in every error and issue (the upload's file name, or its path inside a zip). */
  file: string;
  /** Longest line accepted; longer is a `line_too_long` error naming the line. */
  maxLineBytes: number;
  /** Symbol to use when the source has none (events.json); from `--symbol` or a sibling report. */
  symbol?: string;
  /** Row-level problems go here; a reader never drops a row silently. */
  issues: IssueLog;
  /** Rows per yielded batch. */
  batchSize?: number;
  /**
   * Decimals of the deposit currency, for sources that do not state them (events.json, whose balances
   * carry float noise such as 426.96999999999997); from a sibling report. Default 2.
   */
  depositDigits?: number;
}

/** Totals a report declares about its own trades, reconciled against the history items by validate. */
export interface DeclaredTotals {
  netProfit?: number;
  grossProfit?: number;
  grossLoss?: number;
  commissions?: number;
  swaps?: number;
  totalTrades?: number;
  winningTrades?: number;
  losingTrades?: number;
  largestWinningTrade?: number;
  largestLosingTrade?: number;
  maxBalanceDrawdownAbsolute?: number;
  maxBalanceDrawdownPercent?: number;
  endingBalance?: number;
}

/** Facts about the whole file, complete once its trades have been read. */
export interface SourceContext {
  format: FormatId;
  accountCurrency?: string;
  /** Deposit currency decimals; money is rounded to these. */
  depositDigits?: number;
  startingBalance?: number;
  /** The single symbol of the source, when it names one. */
  symbol?: string;
  timeframe?: string;
  botName?: string;
  period?: { start: number; end: number };
  parameters?: Record<string, unknown>;
  declaredTotals?: DeclaredTotals;
  /** Offset of the file's local times from UTC, in minutes, as its header declared. */
  utcOffsetMinutes?: number;
  /** Column headers as found, in order. */
  columns?: string[];
  /** Anything else the source said about itself (report `main`, broker, ...), kept verbatim. */
  extra?: Record<string, unknown>;
}

/**
 * A reader of a trade-bearing file. `batches()` streams trades in file order; `context` is complete
 * once it is exhausted. A structural failure (empty, truncated, missing columns, binary) throws an
 * AppError naming file, line and field; a bad row becomes an Issue and the reader goes on.
 */
export interface TradeFileReader {
  batches(): AsyncIterable<SourcedTrade[]>;
  readonly context: SourceContext;
}

/** Stop/target history of one position, keyed by its source id, for enriching trades from a sibling file. */
export type StopHistory = Map<string, StopChange[]>;

/** Bars as columns: times are UTC ms, strictly increasing after validation. */
export interface BarColumns {
  length: number;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export interface BarFileContext {
  format: 'ohlc-csv';
  /** Which known layout was recognised: backtrader, backtesting.py, ctrader, generic. */
  layout: string;
  symbol?: string;
  timeframe?: string;
  columns: string[];
  utcOffsetMinutes: number;
}

export interface BarFileReader {
  batches(): AsyncIterable<BarColumns>;
  readonly context: BarFileContext;
}

/** cTrader `.cbotset`: a chart (symbol, period) and parameter values. */
export interface ParameterSet {
  symbol?: string;
  timeframe?: string;
  parameters: Record<string, string | number | boolean>;
  /** Other keys of the file (and of its Chart), kept verbatim. */
  extra?: Record<string, unknown>;
}

/** cTrader CLI optimisation params: each parameter is fixed, a range, or a list of values. */
export interface OptimisationParameter {
  name: string;
  optimize: boolean;
  value?: string | number | boolean;
  min?: number;
  max?: number;
  step?: number;
  values?: (string | number | boolean)[];
  /** Other keys of the parameter's entry, kept verbatim. */
  extra?: Record<string, unknown>;
}
export interface OptimisationParams {
  parameters: OptimisationParameter[];
  criteria?: unknown;
  method?: string;
  extra?: Record<string, unknown>;
}
