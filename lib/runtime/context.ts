import type { Config } from './config.js';
import type { FnContext } from './handler.js';
import type { Logger } from './logger.js';
import type { PlatformMetrics } from './metrics.js';
import type { Ports } from './ports.js';
import { makeEnvelope } from '../pipeline/envelope.js';

/** Builds the per-call context: `emit` publishes the next stage with the caller's call id. */
export function contextFactory(ports: Ports, config: Config, log: Logger, metrics: PlatformMetrics, signal: AbortSignal) {
  return (callId: string): FnContext => ({
    ports,
    config,
    log,
    metrics,
    signal,
    now: () => new Date(),
    emit: (stage, payload, messageId) => ports.bus.publish(makeEnvelope(stage, payload, messageId, callId, new Date())),
  });
}
