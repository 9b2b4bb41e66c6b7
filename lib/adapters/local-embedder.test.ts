import { describe, expect, it } from 'vitest';
import { NUMERIC_SLOTS, numericCues } from '../embedding/numeric-cues.js';
import { LocalEmbedder } from './local-embedder.js';

const e = new LocalEmbedder();
const cos = (a: string, b: string) => {
  const x = e.embedOne(a);
  const y = e.embedOne(b);
  return x.reduce((s, v, i) => s + v * y[i]!, 0);
};
const cues = (text: string) => {
  const out = new Float32Array(NUMERIC_SLOTS);
  numericCues(text.toLowerCase(), out);
  return Array.from(out, (v) => Math.round(v * 1000) / 1000);
};

describe('local hashed embedder', () => {
  it('is named local-hash-v1 at 384 dimensions', () => {
    expect([e.model, e.dimension]).toEqual(['local-hash-v1', 384]);
    expect(new LocalEmbedder(256).model).toBe('local-hash-v1-256');
  });

  it('shares character n-grams between forms of a word: "losing" is nearer "loss" than "profit"', () => {
    expect(cos('losing trades', 'loss trades')).toBeGreaterThan(cos('losing trades', 'profit trades'));
  });

  it('ignores case and stopwords', () => {
    expect(cos('Stop Loss on EURUSD', 'the stop loss of my eurusd')).toBeGreaterThan(0.99);
  });

  it('reads numeric cues from chunk phrasing: P&L sign and size, duration, hour, weekday, side, outcome', () => {
    const v = cues('Trade 1: sell 0.1 lots EURUSD, opened Tuesday 2025-03-04 14:05 UTC, closed after 1h 15m. Net -15.00 USD (loss). Closed by stop loss.');
    expect(v[0]).toBeCloseTo(-Math.log1p(15) / Math.log1p(10_000), 3); // P&L
    expect([v[1], v[2]]).toEqual([0, 1]); // win, loss
    expect(v[3]).toBeCloseTo(Math.log1p(75) / Math.log1p(30 * 24 * 60), 3); // duration
    expect(v[4]).toBeCloseTo(Math.sin((2 * Math.PI * (14 + 5 / 60)) / 24), 3);
    expect(v.slice(6, 13)).toEqual([0, 1, 0, 0, 0, 0, 0]); // Tuesday
    expect([v[13], v[14], v[15]]).toEqual([0, 1, 1]); // not buy, sell, stop loss
  });

  it('takes the weekday from a date when no weekday is named', () => {
    expect(cues('closed 2025-03-08').slice(6, 13)).toEqual([0, 0, 0, 0, 0, 1, 0]); // a Saturday
    expect(cues('on mondays').slice(6, 13)).toEqual([1, 0, 0, 0, 0, 0, 0]);
  });

  it('puts trades alike in outcome and time nearer each other than their words alone would', () => {
    const a = 'Trade 1: buy EURUSD opened Monday 09:00. Net -50.00 (loss).';
    const b = 'Trade 2: buy EURUSD opened Monday 09:30. Net -45.00 (loss).';
    const c = 'Trade 3: buy EURUSD opened Friday 21:00. Net +50.00 (win).';
    expect(cos(a, b)).toBeGreaterThan(cos(a, c) + 0.1);
  });

  it('gives text with no features a unit vector all the same', () => {
    const v = e.embedOne('the of and');
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
  });
});
