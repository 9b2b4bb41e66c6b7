import { describe, expect, it } from 'vitest';
import { parseDurationMs, readStack } from './stack-file.js';

describe('stack.yml', () => {
  it('reads durations as of-watchdog does', () => {
    expect(parseDurationMs('30m')).toBe(1_800_000);
    expect(parseDurationMs('1m30s')).toBe(90_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('10')).toBeUndefined();
    expect(parseDurationMs('5 minutes')).toBeUndefined();
  });

  it('lists every function with its handler, trigger and exec timeout', async () => {
    const stack = await readStack();
    const byName = new Map(stack.functions.map((f) => [f.name, f]));
    expect([...byName.keys()].sort()).toEqual(['embed', 'parse', 'query', 'single-backtest', 'status', 'validate']);
    expect(byName.get('parse')).toMatchObject({ topic: 'parse', execTimeoutMs: 1_800_000 });
    expect(byName.get('status')!.topic).toBeUndefined();
    for (const f of stack.functions) {
      expect(f.modulePath).toMatch(/functions\/[a-z-]+\/handler\.js$/);
      expect(f.labels['com.openfaas.scale.max']).toMatch(/^\d+$/);
      // A function container refuses to start without both (templates/node20-ts/bootstrap.ts).
      expect(f.secrets, f.name).toEqual(expect.arrayContaining(['trading-ai-database-url', 'trading-ai-nats-url']));
    }
  });
});
