import type { Config } from '../../runtime/config.js';
import { createLogger } from '../../runtime/logger.js';
import { startLocalRunner } from '../../runtime/local-runner.js';
import { ingestSampleIfEmpty } from '../../ingest/sample-data.js';

/** `trading-ai serve` (= `npm start`): the platform on 127.0.0.1:PORT until SIGINT/SIGTERM. */
export async function serveCommand(config: Config): Promise<void> {
  const log = createLogger(config.LOG_LEVEL);
  const platform = await startLocalRunner(config, log);
  process.stderr.write(`trading-ai is ready on ${platform.url}  (functions: ${[...platform.functions.keys()].join(', ')})\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining in-flight calls');
    platform.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (config.SAMPLE_DATA) {
    // After "ready": a newcomer can call the platform while the sample loads.
    ingestSampleIfEmpty(platform, log).catch((err: unknown) => log.error({ err }, 'loading the sample dataset failed'));
  }
  await new Promise(() => undefined);
}
