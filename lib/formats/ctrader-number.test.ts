import { describe, expect, it } from 'vitest';
import { isLotUnit, parseCtraderNumber, parseQuantity } from './ctrader-number.js';

describe('cTrader numbers', () => {
  it('reads plain decimals and negatives', () => {
    expect(parseCtraderNumber('104.73')).toBe(104.73);
    expect(parseCtraderNumber('-63.75')).toBe(-63.75);
    expect(parseCtraderNumber('0')).toBe(0);
  });

  it('reads thousands grouped with a space, a no-break space or a narrow no-break space', () => {
    expect(parseCtraderNumber('10 104.73')).toBe(10104.73);
    expect(parseCtraderNumber('10\u00a0104.73')).toBe(10104.73);
    expect(parseCtraderNumber('1\u202f234\u202f567.5')).toBe(1234567.5);
    expect(parseCtraderNumber('-10\u00a0104.73')).toBe(-10104.73);
  });

  it('strips currency signs and codes and reads accounting negatives', () => {
    expect(parseCtraderNumber('$12.50')).toBe(12.5);
    expect(parseCtraderNumber('-$12.50')).toBe(-12.5);
    expect(parseCtraderNumber('$-12.50')).toBe(-12.5);
    expect(parseCtraderNumber('12.50 €')).toBe(12.5);
    expect(parseCtraderNumber('EUR 1 250.00')).toBe(1250);
    expect(parseCtraderNumber('(12.50)')).toBe(-12.5);
    expect(parseCtraderNumber('\u221212.5')).toBe(-12.5);
  });

  it('reads a single comma as a decimal comma, and the last of "," and "." as the decimal separator', () => {
    expect(parseCtraderNumber('10 104,73')).toBe(10104.73);
    expect(parseCtraderNumber('0,6')).toBe(0.6);
    expect(parseCtraderNumber('1,234.56')).toBe(1234.56);
    expect(parseCtraderNumber('1.234,56')).toBe(1234.56);
    expect(parseCtraderNumber('1,234,567')).toBe(1234567);
  });

  it('says null for an empty cell and undefined for text that is not a number', () => {
    expect(parseCtraderNumber('')).toBeNull();
    expect(parseCtraderNumber(' - ')).toBeNull();
    for (const bad of ['abc', '1.2.3', '12 34', '1,23,4', 'Indices', '0x10', '--5']) expect(parseCtraderNumber(bad), bad).toBeUndefined();
  });

  it('reads quantities with unit text, and a unit with no number as no number', () => {
    expect(parseQuantity('0.6 Lots')).toEqual({ value: 0.6, unit: 'Lots' });
    expect(parseQuantity('10000 Units')).toEqual({ value: 10000, unit: 'Units' });
    expect(parseQuantity('10 000 Units')).toEqual({ value: 10000, unit: 'Units' });
    expect(parseQuantity('Indices')).toEqual({ value: null, unit: 'Indices' });
    expect(parseQuantity('1.5')).toEqual({ value: 1.5, unit: null });
    expect(parseQuantity('lots of 5')).toBeUndefined();
    expect(isLotUnit('Lots')).toBe(true);
    expect(isLotUnit('lot')).toBe(true);
    expect(isLotUnit('Units')).toBe(false);
  });
});
