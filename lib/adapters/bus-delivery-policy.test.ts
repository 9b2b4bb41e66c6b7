import { describe, expect, it } from 'vitest';
import { RetryLater, Unretryable } from '../ports/bus.js';
import { assertConsumeOptions, assertPublishable, assertStageName, backoffDelayMs, outcomeOfFailure } from './bus-delivery-policy.js';

describe('backoffDelayMs', () => {
  it('uses the entry of the failed attempt and repeats the last one', () => {
    const schedule = [100, 1_000, 5_000];
    expect([1, 2, 3, 4, 9].map((attempt) => backoffDelayMs(schedule, attempt))).toEqual([100, 1_000, 5_000, 5_000, 5_000]);
  });

  it('redelivers at once when there is no schedule', () => {
    expect(backoffDelayMs([], 3)).toBe(0);
  });
});

describe('outcomeOfFailure', () => {
  const options = { maxDeliver: 3, backoffMs: [100, 2_000] };

  it('redelivers after the backoff while deliveries remain, keeping the error message', () => {
    expect(outcomeOfFailure(new Error('db down'), 2, options)).toEqual({ kind: 'redeliver', delayMs: 2_000, lastError: 'db down' });
  });

  it('dead-letters on the last allowed delivery', () => {
    expect(outcomeOfFailure(new Error('db down'), 3, options)).toEqual({ kind: 'dead', lastError: 'db down' });
  });

  it('dead-letters Unretryable on the first delivery', () => {
    expect(outcomeOfFailure(new Unretryable('no such backtest'), 1, options)).toEqual({ kind: 'dead', lastError: 'no such backtest' });
  });

  it('lets RetryLater choose the delay, but not outlive maxDeliver', () => {
    expect(outcomeOfFailure(new RetryLater('busy', 30_000), 1, options)).toEqual({ kind: 'redeliver', delayMs: 30_000, lastError: 'busy' });
    expect(outcomeOfFailure(new RetryLater('busy', 30_000), 3, options).kind).toBe('dead');
  });

  it('records something readable when a handler throws a non-Error', () => {
    expect(outcomeOfFailure('plain string', 1, options)).toMatchObject({ lastError: 'plain string' });
  });
});

describe('stage names and options', () => {
  it('accepts lowercase letters, digits and dashes only', () => {
    expect(() => assertStageName('single-backtest2')).not.toThrow();
    for (const bad of ['a.b', 'A', 'a_b', 'a b', 'a>', '*', '']) expect(() => assertStageName(bad), bad).toThrow(/invalid stage name/);
  });

  it('refuses to publish an envelope without an id, since nothing could dedupe it', () => {
    expect(() => assertPublishable({ id: '', stage: 'parse', payload: {}, createdAt: '', callId: '' })).toThrow(/no id/);
  });

  it('lists every problem with consume options at once', () => {
    expect(() => assertConsumeOptions({ maxDeliver: 0, ackWaitMs: 0, backoffMs: [-1], concurrency: 0.5 })).toThrow(
      /maxDeliver.*ackWaitMs.*concurrency.*backoffMs/,
    );
  });
});
