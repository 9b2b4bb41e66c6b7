import { z } from 'zod';
import os from 'node:os';
import path from 'node:path';
import { withSecretFiles } from './secrets.js';
import { withoutPassword } from './url-password.js';

/**
 * The single place configuration is read. Every service URL is optional: its absence selects the
 * embedded adapter. Read once at start; `trading-ai config` prints it with secrets masked.
 */
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `expected a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const bytes = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

export const ConfigSchema = z.object({
  DATA_DIR: z.string().min(1).default('./.trading-ai'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  NATS_URL: optionalUrl(['nats', 'tls', 'ws', 'wss']),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  CHROMA_URL: optionalUrl(['http', 'https']),
  OLLAMA_HOST: optionalUrl(['http', 'https']),
  /** With OLLAMA_HOST: the model that writes answers, and the one that embeds chunks and questions. */
  OLLAMA_CHAT_MODEL: z.string().trim().min(1).default('llama3.1:8b'),
  OLLAMA_EMBED_MODEL: z.string().trim().min(1).default('nomic-embed-text'),
  /**
   * Longest wait for one chat reply. A question makes up to two (plan, prose); both must fit in the
   * query function's own timeout so that a slow model falls back to the parser and composed prose.
   */
  OLLAMA_CHAT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  AUTH_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' }),
  /** OpenFaaS gateway used by the dispatcher on a cluster; unset means functions run in-process. */
  GATEWAY_URL: optionalUrl(['http', 'https']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_UPLOAD_BYTES: bytes(2 * 1024 ** 3),
  MAX_JSON_BYTES: bytes(1024 ** 2),
  MAX_LINE_BYTES: bytes(64 * 1024),
  MAX_UNZIPPED_BYTES: bytes(8 * 1024 ** 3),
  MAX_ZIP_RATIO: z.coerce.number().positive().default(200),
  MAX_ZIP_ENTRIES: z.coerce.number().int().positive().default(10_000),
  /** Deliveries before a message goes to the dead-letter subject. */
  BUS_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
  BUS_ACK_WAIT_MS: z.coerce.number().int().min(100).default(30_000),
  /** How long a synchronous call waits for a chained job before answering 202 with the job id. */
  SYNC_WAIT_MS: z.coerce.number().int().min(0).default(300_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25_000),
  /** Ingest the bundled sample dataset the first time the local runner starts on an empty store. */
  SAMPLE_DATA: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /**
   * A function container normally refuses to start without DATABASE_URL and NATS_URL: each replica
   * would otherwise have its own database and a bus nothing else reads. Tests and single-container
   * trials set this to run on the embedded adapters anyway.
   */
  FUNCTION_ALLOW_EMBEDDED: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Worker threads the single-backtest function splits a batch across (default: one per CPU). */
  BACKTEST_WORKERS: z.coerce.number().int().min(1).max(256).default(Math.max(1, os.availableParallelism())),
  /** How long a backtest result stays in the cache (memory, or Redis with REDIS_URL); 0 turns result caching off. */
  BACKTEST_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(86_400),
});

export type Config = z.infer<typeof ConfigSchema> & { dataDir: string };

const SECRET_KEYS = new Set(['AUTH_TOKEN']);
const URL_KEYS = new Set(['DATABASE_URL', 'NATS_URL', 'REDIS_URL', 'CHROMA_URL', 'OLLAMA_HOST', 'GATEWAY_URL']);

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = withSecretFiles(process.env), cwd = process.cwd()): Config {
  const known = Object.fromEntries(Object.keys(ConfigSchema.shape).map((k) => [k, env[k]]));
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  return { ...parsed.data, dataDir: path.resolve(cwd, parsed.data.DATA_DIR) };
}

/** Secrets become `***`; passwords inside URLs are masked, the rest of the URL stays readable. */
export function maskedConfig(config: Config): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const key of Object.keys(ConfigSchema.shape) as (keyof typeof ConfigSchema.shape)[]) {
    const value = config[key];
    if (value === undefined) out[key] = null;
    else if (SECRET_KEYS.has(key)) out[key] = '***';
    else if (URL_KEYS.has(key) && typeof value === 'string') out[key] = withoutPassword(value);
    else out[key] = value as string | number | boolean;
  }
  return out;
}

/** Which adapter each port will use, derived from the config (printed by `trading-ai config`). */
export function adapterChoices(config: Config): Record<string, string> {
  return {
    store: config.DATABASE_URL ? 'postgres' : `pglite (${path.join(config.dataDir, 'pglite')})`,
    bus: config.NATS_URL ? 'nats-jetstream' : 'in-process',
    cache: config.REDIS_URL ? 'redis' : 'memory',
    blobs: `filesystem (${path.join(config.dataDir, 'blobs')})`,
    vectors: config.CHROMA_URL ? `chroma (${config.CHROMA_URL})` : `pgvector (${config.DATABASE_URL ? 'postgres' : 'pglite'})`,
    embedder: config.OLLAMA_HOST ? `ollama ${config.OLLAMA_EMBED_MODEL}` : 'local-hash-v1 (no model weights)',
    llm: config.OLLAMA_HOST ? `ollama ${config.OLLAMA_CHAT_MODEL}` : 'none (deterministic answers)',
    functions: config.GATEWAY_URL ? `openfaas gateway (${config.GATEWAY_URL})` : 'in-process',
  };
}
