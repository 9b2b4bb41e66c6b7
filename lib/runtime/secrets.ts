import { readFileSync } from 'node:fs';
import path from 'node:path';

/** OpenFaaS mounts each secret as a file; stack.yml names them after the variable they carry. */
export const OPENFAAS_SECRETS_DIR = '/var/openfaas/secrets';

export const SECRET_FILES: Record<string, string> = {
  AUTH_TOKEN: 'trading-ai-auth-token',
  DATABASE_URL: 'trading-ai-database-url',
  REDIS_URL: 'trading-ai-redis-url',
  NATS_URL: 'trading-ai-nats-url',
};

/**
 * The environment with any secret files filled in. A variable set in the environment wins over a
 * file, so a local override is always possible.
 */
export function withSecretFiles(env: Record<string, string | undefined>, dir = env.SECRETS_DIR ?? OPENFAAS_SECRETS_DIR): Record<string, string | undefined> {
  const out = { ...env };
  for (const [variable, file] of Object.entries(SECRET_FILES)) {
    if (out[variable]) continue;
    const secretPath = path.join(dir, file);
    try {
      out[variable] = readFileSync(secretPath, 'utf8').trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Not mounted: the variable stays unset and its embedded default applies.
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      // Mounted but unreadable: falling back to the embedded adapter would hide a broken deployment.
      throw new Error(`cannot read the secret ${secretPath} for ${variable}: ${(err as Error).message}`, { cause: err });
    }
  }
  return out;
}
