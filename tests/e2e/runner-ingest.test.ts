import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '../support/runner.js';

const fixture = (p: string) => readFile(new URL(`../fixtures/${p}`, import.meta.url));

interface Envelope {
  error: { code: string; message: string; details?: Record<string, any>; callId: string };
}

describe('local runner: gateway routes and the ingest pipeline', () => {
  let runner: TestRunner;
  beforeAll(async () => {
    runner = await startTestRunner({ MAX_UPLOAD_BYTES: String(5 * 1024 * 1024), MAX_LINE_BYTES: '4096' });
  });
  afterAll(async () => {
    expect(await runner.stop()).toBe(0);
  });

  const upload = (body: Uint8Array | string, name: string, query = '') =>
    fetch(runner.url(`/function/parse${query}`), { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-file-name': name }, body });
  const multipart = async (files: [string, Uint8Array | string][], query = '') => {
    const form = new FormData();
    for (const [name, data] of files) form.append('file', new Blob([data]), name);
    return fetch(runner.url(`/function/parse${query}`), { method: 'POST', body: form });
  };
  const status = async () => (await (await fetch(runner.url('/function/status?limit=50'))).json()) as any;

  it('lists its functions with their labels, annotations and invocation counts', async () => {
    const fns = (await (await fetch(runner.url('/system/functions'))).json()) as any[];
    expect(fns.map((f) => f.name)).toEqual(expect.arrayContaining(['parse', 'status', 'validate']));
    const parse = fns.find((f) => f.name === 'parse');
    expect(parse.annotations.topic).toBe('pipeline.parse');
    expect(parse.labels['com.openfaas.scale.max']).toBe('4');
    expect(typeof parse.invocationCount).toBe('number');
  });

  it('loads the bundled sample dataset on first start', async () => {
    for (let i = 0; i < 100; i++) {
      const s = await status();
      if (s.backtests.length > 0) {
        expect(s.backtests[0]).toMatchObject({ tradeCount: 2000, symbols: expect.arrayContaining(['EURUSD', 'US30']) });
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('sample dataset not loaded');
  });

  it('ingests a History CSV and returns its summary; the same bytes again return the same backtest and write nothing', async () => {
    const csv = await fixture('formats/history-tab.csv');
    const first = await upload(csv, 'History.csv');
    expect(first.status).toBe(200);
    const a = (await first.json()) as any;
    expect(a.results).toHaveLength(1);
    expect(a.results[0]).toMatchObject({
      status: 'loaded',
      kind: 'backtest',
      summary: { trades: 3, netProfit: 30.55, symbols: [{ symbol: 'US30', trades: 3 }] },
    });
    const again = (await (await upload(csv, 'renamed.csv')).json()) as any;
    expect(again.results[0]).toMatchObject({ status: 'existing', backtestId: a.results[0].backtestId });
    const uploads = (await status()).uploads.filter((u: any) => u.format === 'ctrader-history-csv' && u.sizeBytes === csv.length);
    expect(uploads).toHaveLength(1);
  });

  it('takes a report and the events.json beside it in one multipart upload, as one backtest with stop history', async () => {
    const res = await multipart([
      ['report.json', await fixture('formats/report.json')],
      ['events.json', await fixture('formats/events-excerpt.json')],
    ]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({ kind: 'backtest', summary: { trades: 3, accountCurrency: 'EUR' } });
  });

  it('ingests a zipped cTrader Backtesting folder', async () => {
    const res = await upload(await fixture('zip/backtesting-folder.zip'), 'Backtesting.zip');
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body.results.map((r: any) => r.kind)).toEqual(['backtest']);
  });

  it('ingests bar files of each known layout as datasets', async () => {
    for (const [name, layout, bars] of [
      ['ohlc-backtrader.csv', 'backtrader', 3],
      ['ohlc-backtestingpy.csv', 'backtesting.py', 3],
    ] as const) {
      const res = await upload(await fixture(`formats/${name}`), name);
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.results[0]).toMatchObject({ kind: 'bars', layout, bars: expect.any(Number) });
      expect(body.results[0].bars).toBeGreaterThanOrEqual(bars);
    }
  });

  it('stores a .cbotset as a parameter set', async () => {
    const body = (await (await upload(await fixture('formats/params.cbotset'), 'params.cbotset')).json()) as any;
    expect(body.results[0]).toMatchObject({ kind: 'parameters', parameterKind: 'cbotset' });
  });

  describe('bad input gets a 4xx naming the file, line or field and what was expected', () => {
    const expectError = async (res: Response, status: number, code: string) => {
      const body = (await res.json()) as Envelope;
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(body.error.code).toBe(code);
      expect(body.error.callId).toBeTruthy();
      return body.error;
    };

    it('an empty file', async () => {
      const e = await expectError(await upload('', 'empty.csv'), 400, 'empty_file');
      expect(e.details!.file).toBe('empty.csv');
    });

    it('an unknown format', async () => {
      const e = await expectError(await upload('hello,world\n1,2\n', 'mystery.csv'), 415, 'unknown_format');
      expect(e.details!.expected).toMatch(/report/);
    });

    it('binary junk', async () => {
      const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
      await expectError(await upload(junk, 'junk.bin'), 415, 'binary_content');
    });

    it('truncated JSON', async () => {
      const report = (await fixture('formats/report.json')).toString();
      const e = await expectError(await upload(report.slice(0, report.length - 40), 'report.json'), 422, 'truncated_json');
      expect(e.details).toMatchObject({ file: 'report.json', line: expect.any(Number) });
    });

    it('missing columns', async () => {
      const csv = '"Symbol","Type","Entry time (UTC+1)","Net $"\n"US30","Buy","02/03/2026 14:47:44.584","10.00"\n';
      const e = await expectError(await upload(csv, 'history.csv'), 422, 'missing_columns');
      expect(e.message).toMatch(/Closing time/i);
    });

    it('an impossible date, naming its line and field, loading nothing', async () => {
      const csv = (await fixture('formats/history-tab.csv')).toString().replace(/02\/03\/2026 14:/, '31/02/2026 14:');
      const e = await expectError(await upload(csv, 'bad-date.csv'), 422, 'rejected_rows');
      expect(e.details).toMatchObject({ file: 'bad-date.csv', line: expect.any(Number), field: expect.stringMatching(/time/i) });
    });

    it('a line longer than the limit', async () => {
      const csv = (await fixture('formats/history-tab.csv')).toString() + `"${'x'.repeat(5000)}"\n`;
      const e = await expectError(await upload(csv, 'long.csv'), 422, 'line_too_long');
      expect(e.details).toMatchObject({ file: 'long.csv', line: expect.any(Number) });
    });

    it('a zip bomb', async () => {
      await expectError(await upload(await fixture('zip/bomb.zip'), 'bomb.zip'), 413, 'zip_bomb');
    });

    it('a zip path escape', async () => {
      await expectError(await upload(await fixture('zip/escape.zip'), 'escape.zip'), 400, 'zip_path_escape');
    });

    it('an oversized upload (413) before reading it', async () => {
      await expectError(await upload(new Uint8Array(6 * 1024 * 1024), 'huge.csv'), 413, 'payload_too_large');
    });

    it('an unknown ingest option, refused before the body is stored', async () => {
      const bytes = 'never stored,1\n';
      const e = await expectError(await upload(bytes, 'option.csv', '?onRejects=maybe'), 400, 'invalid_input');
      expect(e.details).toMatchObject({ field: 'onRejects' });
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await expect(access(path.join(runner.dataDir, 'blobs', sha256.slice(0, 2), sha256))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('an unknown ingest option in a form field, refused before the file after it is stored', async () => {
      const bytes = 'never stored either,1\n';
      const form = new FormData();
      form.append('onRejects', 'maybe');
      form.append('file', new Blob([bytes]), 'field-option.csv');
      const e = await expectError(await fetch(runner.url('/function/parse'), { method: 'POST', body: form }), 400, 'invalid_input');
      expect(e.details).toMatchObject({ field: 'onRejects' });
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await expect(access(path.join(runner.dataDir, 'blobs', sha256.slice(0, 2), sha256))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('keeps the raw bytes of a failed upload with its error, so it can be retried after a fix', async () => {
      const s = await status();
      const failed = s.uploads.find((u: any) => u.name === 'bad-date.csv');
      expect(failed).toMatchObject({ status: 'failed', error: { code: 'rejected_rows' } });
    });

    it('loads the accepted rows when asked to skip rejects, and says which row was rejected', async () => {
      const csv = (await fixture('formats/history-tab.csv')).toString().replace(/02\/03\/2026 14:/, '31/02/2026 14:');
      const res = await upload(csv, 'bad-date.csv', '?onRejects=skip');
      const body = (await res.json()) as any;
      expect(res.status).toBe(200);
      expect(body.results[0].summary.trades).toBe(2);
      expect(body.results[0].issues).toMatchObject({ rejects: 1 });
    });
  });

  it('runs an async call and posts the result to the callback URL with the OpenFaaS headers', async () => {
    const received = new Promise<{ headers: IncomingMessage['headers']; body: string }>((resolve) => {
      const server = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          res.end();
          server.close();
          resolve({ headers: req.headers, body });
        });
      }).listen(0, '127.0.0.1', async () => {
        const port = (server.address() as { port: number }).port;
        const res = await fetch(runner.url('/async-function/status'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-callback-url': `http://127.0.0.1:${port}/done`, 'x-call-id': 'async-1' },
          body: JSON.stringify({ limit: 1 }),
        });
        expect(res.status).toBe(202);
        expect(res.headers.get('x-call-id')).toBe('async-1');
      });
    });
    const { headers, body } = await received;
    expect(headers['x-call-id']).toBe('async-1');
    expect(headers['x-function-status']).toBe('200');
    expect(Number(headers['x-duration-seconds'])).toBeGreaterThan(0);
    expect(JSON.parse(body)).toHaveProperty('jobs');
  });

  it('exposes metrics including queue depth per stage', async () => {
    const text = await (await fetch(runner.url('/metrics'))).text();
    expect(text).toMatch(/trading_ai_queue_depth\{stage="parse"\} 0/);
    expect(text).toMatch(/trading_ai_function_invocations_total\{function="parse",status="200"\}/);
  });
});
