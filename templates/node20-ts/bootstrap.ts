import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../../lib/runtime/config.js';
import { contextFactory } from '../../lib/runtime/context.js';
import type { FunctionDefinition } from '../../lib/runtime/handler.js';
import { buildServer } from '../../lib/runtime/http/server.js';
import { createLogger } from '../../lib/runtime/logger.js';
import { PlatformMetrics } from '../../lib/runtime/metrics.js';
import { closePorts, openPorts } from '../../lib/runtime/ports.js';

/**
 * The process of-watchdog starts in a function container (mode=http): one function on every path of
 * 127.0.0.1:PORT, `/_/health`, `/_/ready`, `/metrics`, and on SIGTERM a drain of in-flight calls
 * before exit, so a scale-down never cuts a call.
 */
const name = process.env.FUNCTION_NAME;
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  process.stderr.write('FUNCTION_NAME must name the function to serve (e.g. parse)\n');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const handlerPath = process.env.FUNCTION_HANDLER ?? path.resolve(here, '../../functions', name, 'handler.js');

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL, { function: name });
const missing = [config.DATABASE_URL ? null : 'DATABASE_URL', config.NATS_URL ? null : 'NATS_URL'].filter((v) => v !== null);
if (missing.length > 0 && !config.FUNCTION_ALLOW_EMBEDDED) {
  log.fatal(
    { missing },
    `${missing.join(' and ')} not set (nor the trading-ai-database-url / trading-ai-nats-url secrets): a function replica ` +
      'would use its own embedded database and bus. Set them, or FUNCTION_ALLOW_EMBEDDED=true for a single-container trial.',
  );
  process.exit(2);
}
const def = ((await import(pathToFileURL(handlerPath).href)) as { default: FunctionDefinition }).default;
if (!def || def.name !== name) {
  log.fatal({ handlerPath }, `${handlerPath} does not export the definition of ${name}`);
  process.exit(2);
}
const ports = await openPorts(config, log);
const metrics = new PlatformMetrics();
const shutdown = new AbortController();
let ready = false;
const server = buildServer({
  config,
  log,
  metrics,
  functions: new Map([[name, { def, labels: {}, annotations: {} }]]),
  context: contextFactory(ports, config, log, metrics, shutdown.signal),
  mode: 'single',
  ready: () => ready,
});
await server.app.listen({ host: config.HOST, port: config.PORT });
ready = true;
log.info({ port: config.PORT, store: ports.store.kind, bus: ports.bus.kind }, 'function ready');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    ready = false;
    log.info({ signal, inFlight: server.inFlight.size }, 'draining');
    void (async () => {
      const drained = await server.drain();
      shutdown.abort();
      await closePorts(ports, log);
      log.info({ drained }, 'stopped');
      process.exit(drained ? 0 : 1);
    })();
  });
}
