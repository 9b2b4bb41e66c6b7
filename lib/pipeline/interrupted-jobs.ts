import { EmbedMessage } from '../embedding/messages.js';
import type { JobRecord, Store } from '../ports/store.js';
import type { FnContext } from '../runtime/handler.js';
import { messageIdOf } from './envelope.js';

const PAGE = 500;

/**
 * With the in-process bus, a job's messages die with the process: jobs still queued or running at the
 * next start would never finish. Embedding resumes from what it stored, so an interrupted embed job is
 * sent again; any other job is marked failed with how to retry it. Only safe where this process is
 * the store's one owner (PGlite, behind its lock file); with a shared Postgres another process may be
 * running them. `resume: false` (a one-off CLI command, which would only cancel the embed again when
 * it exits) leaves interrupted embed jobs for the next `serve`.
 */
export async function recoverInterruptedJobs(
  store: Store,
  emit: FnContext['emit'],
  options: { resume: boolean } = { resume: true },
): Promise<{ failed: number; resumed: number }> {
  const interrupted: JobRecord[] = [];
  for (const status of ['queued', 'running'] as const) {
    for (let offset = 0; ; offset += PAGE) {
      const page = await store.listJobs({ status, limit: PAGE, offset });
      interrupted.push(...page);
      if (page.length < PAGE) break;
    }
  }
  let failed = 0;
  let resumed = 0;
  const startedAt = new Date().toISOString();
  for (const job of interrupted) {
    const embed = job.kind === 'embed' ? EmbedMessage.safeParse({ ...(job.request as object), jobId: job.id }) : undefined;
    if (embed?.success && !options.resume) continue;
    if (embed?.success) {
      await store.updateJob(job.id, { status: 'queued', error: null });
      await emit('embed', embed.data, messageIdOf('embed', embed.data.backtestId, 'resumed', startedAt));
      resumed++;
      continue;
    }
    await store.updateJob(job.id, {
      status: 'failed',
      error: { code: 'unavailable', message: 'interrupted: the platform stopped while this job was waiting or running; upload the file again to retry' },
    });
    failed++;
  }
  return { failed, resumed };
}
