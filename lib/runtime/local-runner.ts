import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { startDispatcher } from '../pipeline/dispatcher.js';
import { recoverInterruptedJobs } from '../pipeline/interrupted-jobs.js';
import { gatewayInvoker, inProcessInvoker } from '../pipeline/invokers.js';
import type { Config } from './config.js';
import { contextFactory } from './context.js';
import type { FnContext, FunctionDefinition } from './handler.js';
import { buildServer, type ServedFunction } from './http/server.js';
import { loadFunctions } from './function-registry.js';
import type { Logger } from './logger.js';
import { PlatformMetrics } from './metrics.js';
import { closePorts, openPorts, type Ports } from './ports.js';
import { readStack, STACK_FILE } from './stack-file.js';
import { lockDataDir, updateLockUrl } from './data-dir-lock.js';

export interface RunningPlatform {
  /** Where the gateway routes answer; undefined when started without HTTP (CLI direct mode). */
  url: string | undefined;
  ports: Ports;
  /** The per-call context, for calling functions directly in this process. */
  context: (callId: string) => FnContext;
  functions: Map<string, FunctionDefinition>;
  /** Stops taking calls, lets in-flight calls and deliveries finish, closes the ports. */
  close(): Promise<void>;
}

/** Default concurrency of a stage's consumer; stack.yml's `trading-ai/concurrency` annotation overrides. */
const DEFAULT_STAGE_CONCURRENCY = 2;

/**
 * The whole platform in one process: every function of stack.yml behind OpenFaaS's gateway routes,
 * and the dispatcher chaining stages through the bus. Functions run in-process unless GATEWAY_URL
 * points the dispatcher at a real gateway.
 */
export async function startLocalRunner(
  config: Config,
  log: Logger,
  options: { stackFile?: string; listen?: boolean } = {},
): Promise<RunningPlatform> {
  const stack = await readStack(options.stackFile ?? STACK_FILE);
  const functions = await loadFunctions(stack.functions);
  // Only the embedded store needs the directory to itself; Postgres serves many processes.
  const lock = config.DATABASE_URL ? undefined : await lockDataDir(config.dataDir, null);
  let ports: Ports;
  try {
    ports = await openPorts(config, log);
  } catch (err) {
    await lock?.release();
    throw err;
  }
  const abandonStart = async (err: unknown): Promise<never> => {
    await closePorts(ports, log);
    await lock?.release();
    throw err;
  };
  const stages = stack.functions.filter((f) => f.topic !== undefined);
  const metrics = new PlatformMetrics({ queueDepth: (stage) => ports.bus.pending(stage), stages: stages.map((s) => s.name) });
  const shutdown = new AbortController();
  const context = contextFactory(ports, config, log, metrics, shutdown.signal);
  if (lock && ports.bus.kind === 'memory') {
    const { failed, resumed } = await recoverInterruptedJobs(ports.store, context('startup').emit, { resume: options.listen !== false }).catch(abandonStart);
    if (failed > 0) log.warn({ jobs: failed }, 'jobs interrupted by the last stop were marked failed; upload their files again to retry');
    if (resumed > 0) log.info({ jobs: resumed }, 'embedding interrupted by the last stop resumes');
  }
  const defs = new Map<string, FunctionDefinition>([...functions].map(([name, f]) => [name, f.def]));

  const dispatcher = await startDispatcher({
    bus: ports.bus,
    store: ports.store,
    config,
    log,
    stages: stages.map((s) => ({ stage: s.name, concurrency: Number(s.annotations['trading-ai/concurrency'] ?? DEFAULT_STAGE_CONCURRENCY) })),
    invoke: config.GATEWAY_URL
      ? gatewayInvoker(config.GATEWAY_URL, config.AUTH_TOKEN, (stage) => functions.get(stage)!.stack.execTimeoutMs)
      : inProcessInvoker(defs, context),
  }).catch(abandonStart);

  let ready = false;
  const served = new Map<string, ServedFunction>(
    [...functions].map(([name, f]) => [name, { def: f.def, labels: f.stack.labels, annotations: f.stack.annotations, image: f.stack.image }]),
  );
  const server = options.listen === false ? undefined : buildServer({ config, log, metrics, functions: served, context, mode: 'gateway', ready: () => ready });
  let url: string | undefined;
  if (server) {
    try {
      await server.app.listen({ host: config.HOST, port: config.PORT });
    } catch (err) {
      await dispatcher.drain();
      const e = err as NodeJS.ErrnoException;
      await abandonStart(e.code === 'EADDRINUSE' ? new Error(`port ${config.PORT} on ${config.HOST} is in use (set PORT to another port)`, { cause: err }) : err);
    }
    const address = server.app.server.address() as AddressInfo;
    url = `http://${config.HOST}:${address.port}`;
    if (lock) await updateLockUrl(config.dataDir, url);
  }
  ready = true;
  log.info({ url, store: ports.store.kind, bus: ports.bus.kind, functions: [...functions.keys()] }, 'platform ready');

  let closing: Promise<void> | undefined;
  return {
    url,
    ports,
    context,
    functions: defs,
    close: () =>
      (closing ??= (async () => {
        ready = false;
        const deadline = Date.now() + config.SHUTDOWN_GRACE_MS;
        if (server && !(await server.drain())) log.warn('calls still running after the shutdown grace period');
        // Stage work (a long embed) gets what is left of the grace period, then is told to stop; an
        // interrupted job is failed or resumed at the next start.
        const drained = dispatcher.drain();
        const inTime = await Promise.race([drained.then(() => true), delay(Math.max(0, deadline - Date.now()), undefined, { ref: false }).then(() => false)]);
        if (!inTime) log.warn('pipeline stages still running after the shutdown grace period: cancelling them');
        shutdown.abort();
        await drained;
        await closePorts(ports, log);
        await lock?.release();
        log.info('platform stopped');
      })()),
  };
}
