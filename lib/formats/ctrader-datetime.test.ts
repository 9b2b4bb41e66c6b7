import { describe, expect, it } from 'vitest';
import { parseAnyDateTime, parseCtraderDateTime, parseIsoDateTime, utcOffsetFromHeader } from './ctrader-datetime.js';

describe('cTrader date-times', () => {
  it('reads DD/MM/YYYY HH:MM:SS.mmm in the header zone as UTC milliseconds', () => {
    expect(parseCtraderDateTime('02/03/2026 14:47:44.584', 60)).toBe(Date.UTC(2026, 2, 2, 13, 47, 44, 584));
    expect(parseCtraderDateTime('02/03/2026 14:47:44.584', 0)).toBe(Date.UTC(2026, 2, 2, 14, 47, 44, 584));
  });

  it('reads stamps without milliseconds or without seconds', () => {
    expect(parseCtraderDateTime('02/03/2026 14:47:44', 0)).toBe(Date.UTC(2026, 2, 2, 14, 47, 44));
    expect(parseCtraderDateTime('02/03/2026 14:47', 0)).toBe(Date.UTC(2026, 2, 2, 14, 47));
    expect(parseCtraderDateTime('2/3/2026 9:05', -180)).toBe(Date.UTC(2026, 2, 2, 12, 5));
  });

  it('crosses midnight and month ends when converting a zone', () => {
    expect(parseCtraderDateTime('01/03/2026 00:30:00.000', 120)).toBe(Date.UTC(2026, 1, 28, 22, 30));
  });

  it('refuses impossible dates and times instead of rolling them over', () => {
    for (const bad of ['31/02/2025 10:00:00.000', '29/02/2025 10:00', '25:00', '01/13/2026 10:00', '01/01/2026 25:00:00.000', '01/01/2026 10:60', '01/01/2026 10:00:61', 'yesterday', '']) {
      expect(parseCtraderDateTime(bad, 0), bad).toBeUndefined();
    }
    expect(parseCtraderDateTime('29/02/2024 10:00', 0)).toBe(Date.UTC(2024, 1, 29, 10));
  });

  it('reads the zone a header declares', () => {
    expect(utcOffsetFromHeader('Entry time (UTC+1)')).toBe(60);
    expect(utcOffsetFromHeader('Closing time (UTC-3)')).toBe(-180);
    expect(utcOffsetFromHeader('Opening time (UTC+5:30)')).toBe(330);
    expect(utcOffsetFromHeader('Closing time (UTC+0)')).toBe(0);
    expect(utcOffsetFromHeader('Time UTC')).toBe(0);
    expect(utcOffsetFromHeader('Closing time')).toBeUndefined();
  });

  it('reads ISO-like bar stamps, honouring a zone written in the value', () => {
    expect(parseIsoDateTime('2004-08-19', 0)).toBe(Date.UTC(2004, 7, 19));
    expect(parseIsoDateTime('2017-04-19 09:00:00', 120)).toBe(Date.UTC(2017, 3, 19, 7));
    expect(parseIsoDateTime('2017-04-19T09:00:00.250Z', 120)).toBe(Date.UTC(2017, 3, 19, 9, 0, 0, 250));
    expect(parseIsoDateTime('2017-04-19T09:00:00+02:00', 0)).toBe(Date.UTC(2017, 3, 19, 7));
    expect(parseIsoDateTime('2017.04.19 09:00', 0)).toBe(Date.UTC(2017, 3, 19, 9));
    expect(parseIsoDateTime('2017-02-30', 0)).toBeUndefined();
    expect(parseAnyDateTime('19/04/2017 09:00', 0)).toBe(Date.UTC(2017, 3, 19, 9));
    expect(parseAnyDateTime('2017-04-19 09:00', 0)).toBe(Date.UTC(2017, 3, 19, 9));
  });
});
