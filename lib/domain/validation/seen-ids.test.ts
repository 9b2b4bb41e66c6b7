import { describe, expect, it } from 'vitest';
import { SeenIds } from './seen-ids.js';

describe('seen trade ids', () => {
  it('finds a repeated integer id, however large the id space grows', () => {
    const seen = new SeenIds();
    expect(seen.see('7', 2)).toBeUndefined();
    expect(seen.see('5000000', 3)).toBeUndefined();
    expect(seen.see('7', 9)).toBe(0);
    expect(seen.see('5000000', 10)).toBe(0);
    expect(seen.see('8', 11)).toBeUndefined();
  });

  it('keeps texts that only look alike apart, and remembers the first line of non-integer ids', () => {
    const seen = new SeenIds();
    expect(seen.see('42', 2)).toBeUndefined();
    expect(seen.see('042', 3)).toBeUndefined();
    expect(seen.see('D-1', 4)).toBeUndefined();
    expect(seen.see('D-1', 5)).toBe(4);
    expect(seen.see('99999999999', 6)).toBeUndefined();
    expect(seen.see('99999999999', 7)).toBe(6);
  });
});
