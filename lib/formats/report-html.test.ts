import { describe, expect, it } from 'vitest';
import { collect, failure, fixtureSource, fixtureText, readOptions } from '../../tests/fixtures/formats/fixture-source.js';
import { byteSourceFrom } from './byte-source.js';
import { readReportHtml } from './report-html.js';

describe('cTrader report.html', () => {
  it('finds the report JSON inside the page and reads it like report.json, across chunk boundaries', async () => {
    for (const size of [7, 100, 64 * 1024]) {
      const reader = readReportHtml(fixtureSource('report.html', size), readOptions('report.html'));
      const trades = await collect(reader.batches());
      expect(trades.map((t) => t.net), `chunk size ${size}`).toEqual([22.5, -63.75, 71.8]);
      expect(reader.context).toMatchObject({ format: 'ctrader-report-html', accountCurrency: 'EUR', startingBalance: 10000 });
    }
  });

  it('names lines of the HTML file when the embedded JSON is broken', async () => {
    const html = fixtureText('report.html').replace('"roi": 0.31,', '"roi": 0.31,,');
    const err = await failure(() => collect(readReportHtml(byteSourceFrom(html, 50), readOptions('report.html')).batches()));
    expect(err.code).toBe('invalid_json');
    const expectedLine = html.split('\n').findIndex((l) => l.includes('"roi": 0.31,,')) + 1;
    expect(err.details).toMatchObject({ file: 'report.html', line: expectedLine });
  });

  it('says so when the page holds no backtesting-report script', async () => {
    const err = await failure(() => collect(readReportHtml(byteSourceFrom('<!DOCTYPE html><html><body><script>var x = 1;</script></body></html>'), readOptions('page.html')).batches()));
    expect(err.code).toBe('unprocessable');
    expect(err.message).toContain('backtesting-report');
  });

  it('accepts the attributes in any order', async () => {
    const json = JSON.stringify({ main: { symbol: 'X' }, history: { items: [{ id: 1, closeTime: 1772460630250, direction: 'buy', net: 3 }] } });
    const html = `<html><script id='backtesting-report' type="application/json">\n${json}\n</SCRIPT></html>`;
    const trades = await collect(readReportHtml(byteSourceFrom(html, 3), readOptions('r.html')).batches());
    expect(trades.map((t) => t.net)).toEqual([3]);
  });
});
