import { z } from 'zod';

/** `pipeline.embed` and `POST /function/embed`: chunk and embed one loaded backtest. */
export const EmbedMessage = z.object({
  backtestId: z.string().min(1),
  /** The job that tracks it; `embed-<backtestId>` when not given. */
  jobId: z.string().min(1).optional(),
  /** Drop what is stored for the backtest first (every model) and embed it all again. */
  rebuild: z.boolean().optional(),
});
export type EmbedMessage = z.infer<typeof EmbedMessage>;

export const embedJobId = (backtestId: string): string => `embed-${backtestId}`;
