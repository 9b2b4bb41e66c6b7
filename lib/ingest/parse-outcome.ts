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
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch (err) {
    throw new AppError('internal', `parse outcome ${sha256} is unreadable`, undefined, { cause: err });
  }
  // Written by parse and read back here, so only corruption or a version skew between replicas fails this.
  if (!isOutcomeShaped(value)) throw new AppError('internal', `parse outcome ${sha256} is not a parse outcome (no unit, options or issues)`);
  return value;
}

function isOutcomeShaped(value: unknown): value is ParseOutcome {
  const o = value as Partial<ParseOutcome> | null;
  return typeof o === 'object' && o !== null && typeof o.unit?.kind === 'string' && typeof o.unit.id === 'string' && typeof o.options === 'object' && typeof o.issues?.rejects === 'number';
}
