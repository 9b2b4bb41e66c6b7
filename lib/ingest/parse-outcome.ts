import type { IngestOptions, IngestUnit } from '../domain/ingest/plan.js';
import type { IssueReport } from '../domain/issues.js';
import type { BarFileContext, OptimisationParams, ParameterSet, SourceContext } from '../formats/types.js';
import type { Blobs } from '../ports/blobs.js';
import { AppError } from '../runtime/errors.js';

/** What parse hands to validate, kept in the blob store (messages stay small). */
export interface ParseOutcome {
  unit: IngestUnit;
  options: IngestOptions;
  issues: IssueReport;
  /** Staged frames (trades or bars) and how many rows they hold. */
  staged?: { sha256: string; rows: number };
  trades?: {
    context: SourceContext;
    symbol: string | null;
    parameters: ParameterSet | null;
    depositDigits: number;
  };
  bars?: BarFileContext & { first: number | null; last: number | null };
  parameters?: { kind: 'cbotset'; set: ParameterSet } | { kind: 'optimisation-params'; params: OptimisationParams };
}

export async function storeOutcome(blobs: Blobs, outcome: ParseOutcome): Promise<string> {
  return (await blobs.put(Buffer.from(JSON.stringify(outcome), 'utf8'))).sha256;
}

export async function loadOutcome(blobs: Blobs, sha256: string): Promise<ParseOutcome> {
  const parts: Buffer[] = [];
  for await (const chunk of blobs.get(sha256)) parts.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8')) as ParseOutcome;
  } catch (err) {
    throw new AppError('internal', `parse outcome ${sha256} is unreadable`, undefined, { cause: err });
  }
}
