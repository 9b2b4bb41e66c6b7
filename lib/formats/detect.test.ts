import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../tests/fixtures/formats/fixture-source.js';
import { detectFormat } from './detect.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('format detection', () => {
  it.each([
    ['history-tab.csv', 'ctrader-history-csv', 'trades'],
    ['account-history.csv', 'ctrader-account-history-csv', 'trades'],
    ['account-history-utf16le.csv', 'ctrader-account-history-csv', 'trades'],
    ['events-excerpt.json', 'ctrader-events-json', 'trades'],
    ['report.json', 'ctrader-report-json', 'trades'],
    ['report.html', 'ctrader-report-html', 'trades'],
    ['params.cbotset', 'ctrader-cbotset', 'parameters'],
    ['optimisation-params.json', 'ctrader-optimisation-params', 'parameters'],
    ['ohlc-backtrader.csv', 'ohlc-csv', 'bars'],
    ['ohlc-backtestingpy.csv', 'ohlc-csv', 'bars'],
    ['ohlc-ctrader.csv', 'ohlc-csv', 'bars'],
    ['log.txt', 'text-log', 'log'],
  ])('recognises %s by its content', (name, format, role) => {
    // A neutral name proves the content decides.
    expect(detectFormat(fixtureBytes(name), 'upload.bin')).toEqual({ format, role });
  });

  it('takes a CSV with three cTrader column names for a History export, so a lost column can be named', () => {
    expect(detectFormat(bytes('Symbol,Type,Entry time (UTC+1),Entry price,Net $\nUS30,Buy,02/03/2026 14:47:44.584,1,10\n'), 'x.csv').format).toBe('ctrader-history-csv');
  });

  it('recognises a zip by its magic bytes', () => {
    expect(detectFormat(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'x')).toEqual({ format: 'zip', role: 'archive' });
  });

  it('recognises a head cut in the middle of a JSON document', () => {
    const head = bytes('[\n  {\n    "serial": 0,\n    "orderId": null,\n    "positionId": 1,\n    "event": "Create Position",\n    "ti');
    expect(detectFormat(head, 'x').format).toBe('ctrader-events-json');
  });

  it('uses the file name only to break a tie', () => {
    expect(detectFormat(bytes('[]'), 'events.json').format).toBe('ctrader-events-json');
    expect(() => detectFormat(bytes('[]'), 'data.json')).toThrow(/not a format/);
  });

  it('says which formats are accepted when it recognises none', () => {
    expect(() => detectFormat(bytes('name,age\nbob,4\n'), 'people.csv')).toThrow(expect.objectContaining({ code: 'unknown_format', message: expect.stringContaining('History or Account History CSV') }));
    expect(() => detectFormat(bytes('{"hello": "world"}'), 'x.json')).toThrow(expect.objectContaining({ code: 'unknown_format' }));
  });

  it('refuses empty and binary heads', () => {
    expect(() => detectFormat(new Uint8Array(0), 'x')).toThrow(expect.objectContaining({ code: 'empty_file' }));
    expect(() => detectFormat(bytes('  \n '), 'x')).toThrow(expect.objectContaining({ code: 'empty_file' }));
    expect(() => detectFormat(Uint8Array.from({ length: 600 }, (_, i) => (i * 31) % 256), 'x')).toThrow(expect.objectContaining({ code: 'binary_content' }));
  });
});
