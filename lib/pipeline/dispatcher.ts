import { RetryLater, Unretryable, type Bus, type DeadLetter, type Envelope, type Subscription } from '../ports/bus.js';
import type { Store } from '../ports/store.js';
import type { Config } from '../runtime/config.js';
import type { FnResult } from '../runtime/handler.js';
import type { Logger } from '../runtime/logger.js';
import { consumeOptions, outcomeOf } from './retry-policy.js';

/** Calls the function for a stage: in-process locally, through the OpenFaaS gateway on a cluster. */
export type StageInvoker = (stage: string, envelope: Envelope) => Promise<FnResult>;

export interface DispatchedStage {
  stage: string;
  concurrency: number;
}

export interface DispatcherOptions {
  bus: Bus;
  store: Store;
  config: Config;
  log: Logger;
  stages: DispatchedStage[];
  invoke: StageInvoker;
}

/**
 * Pulls each stage's messages and invokes its function. Acks on 2xx; retries with backoff on 429/5xx;
 * dead-letters at once on other 4xx (bad input does not get better by retrying). A message id already
 * recorded as processed is acked without calling the function again.
 */
export async function startDispatcher(o: DispatcherOptions): Promise<{ drain(): Promise<void> }> {
  const subscriptions: Subscription[] = [];
  for (const { stage, concurrency } of o.stages) {
    subscriptions.push(
      await o.bus.consume(
        stage,
        async (delivery) => {
          const { envelope } = delivery;
          if (await o.store.isProcessed(stage, envelope.id)) {
            o.log.debug({ stage, messageId: envelope.id }, 'already processed; acking the redelivery');
            return;
          }
          // Long calls (a 1 GB parse) must not be redelivered while still running.
          const keepAlive = setInterval(() => delivery.working(), Math.max(100, Math.floor(o.config.BUS_ACK_WAIT_MS / 3)));
          let result: FnResult;
          try {
            result = await o.invoke(stage, envelope);
          } finally {
            clearInterval(keepAlive);
          }
          const status = result.status ?? 200;
          const outcome = outcomeOf(status);
          if (outcome === 'ack') {
            await o.store.markProcessed(stage, envelope.id);
            return;
          }
          const message = errorMessageOf(result.body, status);
          if (outcome === 'dead') throw new Unretryable(message);
          const retryAfter = Number(result.headers?.['retry-after']);
          if (Number.isFinite(retryAfter) && retryAfter > 0) throw new RetryLater(message, retryAfter * 1000);
          throw new Error(message);
        },
        consumeOptions(o.config, concurrency),
        (dead) => recordDeath(o, dead),
      ),
    );
  }
  return {
    async drain() {
      await Promise.all(subscriptions.map((s) => s.drain()));
    },
  };
}

async function recordDeath(o: DispatcherOptions, dead: DeadLetter): Promise<void> {
  const { envelope } = dead;
  o.log.warn({ stage: envelope.stage, messageId: envelope.id, attempts: dead.attempts, error: dead.lastError }, 'message dead-lettered');
  await o.store.recordDeadLetter({
    stage: envelope.stage,
    messageId: envelope.id,
    envelope,
    attempts: dead.attempts,
    lastError: dead.lastError,
  });
  // A job whose message died would otherwise look "running" forever.
  const jobId = (envelope.payload as { jobId?: unknown } | null)?.jobId;
  if (typeof jobId === 'string') {
    const job = await o.store.getJob(jobId);
    if (job && job.status !== 'succeeded' && job.status !== 'failed') {
      await o.store.updateJob(jobId, {
        status: 'failed',
        error: { code: 'internal', message: `stage ${envelope.stage} gave up after ${dead.attempts} attempts: ${dead.lastError}` },
      });
    }
  }
}

function errorMessageOf(body: unknown, status: number): string {
  const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return e?.message ? `${e.code ?? 'error'}: ${e.message}` : `function answered HTTP ${status}`;
}
