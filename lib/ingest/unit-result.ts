import type { IngestSummary } from '../domain/ingest/summary.js';
import type { IssueReport } from '../domain/issues.js';

/** What a finished ingest job records as its result, per kind of unit. */
export type UnitResult =
  | { kind: 'backtest'; backtestId: string; name: string; existing: boolean; summary: IngestSummary; issues: IssueReport }
  | {
      kind: 'bars';
      datasetId: string;
      name: string;
      existing: boolean;
      bars: number;
      first: string | null;
      last: string | null;
      symbol: string | null;
      timeframe: string | null;
      layout: string;
      issues: IssueReport;
    }
  | { kind: 'parameters'; parameterSetId: string; name: string; existing: boolean; parameterKind: string; parameters: unknown };
