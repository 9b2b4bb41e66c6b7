import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withSecretFiles } from './secrets.js';

describe('secret files', () => {
  it('fills unset variables from mounted secret files and lets the environment win', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
    writeFileSync(path.join(dir, 'trading-ai-auth-token'), 'from-file-0123456789\n');
    writeFileSync(path.join(dir, 'trading-ai-database-url'), 'postgres://file');
    const env = withSecretFiles({ DATABASE_URL: 'postgres://env' }, dir);
    expect(env.AUTH_TOKEN).toBe('from-file-0123456789');
    expect(env.DATABASE_URL).toBe('postgres://env');
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('refuses a secret that is mounted but cannot be read, naming it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
    mkdirSync(path.join(dir, 'trading-ai-database-url'));
    expect(() => withSecretFiles({}, dir)).toThrow(/trading-ai-database-url for DATABASE_URL/);
  });
});
