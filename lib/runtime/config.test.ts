import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigSchema, adapterChoices, loadConfig, maskedConfig } from './config.js';

describe('configuration', () => {
  it('chooses embedded adapters when no URL is set', () => {
    const c = loadConfig({}, '/srv');
    expect(c.dataDir).toBe('/srv/.trading-ai');
    expect(c.PORT).toBe(8080);
    expect(adapterChoices(c)).toMatchObject({ store: 'pglite (/srv/.trading-ai/pglite)', bus: 'in-process', cache: 'memory' });
  });

  it('names every invalid variable and what it expected', () => {
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', AUTH_TOKEN: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const vars = (err as ConfigError).problems.map((p) => p.variable).sort();
      expect(vars).toEqual(['AUTH_TOKEN', 'DATABASE_URL', 'PORT']);
      expect((err as Error).message).toMatch(/DATABASE_URL: expected a URL starting with postgres:\/\//);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('masks secrets and URL passwords when printed', () => {
    const m = maskedConfig(loadConfig({ AUTH_TOKEN: 'a-long-enough-token', NATS_URL: 'nats://user:pass@nats:4222' }));
    expect(m.AUTH_TOKEN).toBe('***');
    expect(m.NATS_URL).toBe('nats://user:***@nats:4222');
  });

  it('is documented in the README, every variable of it', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = Object.keys(ConfigSchema.shape).filter((k) => !readme.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
