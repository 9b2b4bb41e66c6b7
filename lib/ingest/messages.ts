import { z } from 'zod';
import { IngestOptions, IngestUnit } from '../domain/ingest/plan.js';

/** `pipeline.parse`: parse one planned unit of an upload. */
export const ParseMessage = z.object({
  jobId: z.string().min(1),
  unit: IngestUnit,
  options: IngestOptions,
});
export type ParseMessage = z.infer<typeof ParseMessage>;

/** `pipeline.validate`: check and load what parse staged. */
export const ValidateMessage = z.object({
  jobId: z.string().min(1),
  unitId: z.string().min(1),
  /** The parse outcome (JSON) in the blob store. */
  outcomeSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ValidateMessage = z.infer<typeof ValidateMessage>;

/**
 * One job per unit and rejects policy: a re-upload asking to skip rejected rows must not join (and
 * inherit the failure of) a run that refuses them.
 */
export const jobIdForUnit = (unitId: string, onRejects: IngestOptions['onRejects']): string =>
  onRejects === 'skip' ? `ingest-${unitId}-skip-rejects` : `ingest-${unitId}`;
