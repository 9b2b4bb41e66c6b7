import { pino, destination, stdTimeFunctions, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Structured JSON lines on stderr, so stdout stays free for command output (`--json`). */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: 'trading-ai', ...base }, timestamp: stdTimeFunctions.isoTime }, destination(2));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
