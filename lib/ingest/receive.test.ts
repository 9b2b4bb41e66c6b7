import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobs } from '../adapters/fs-blobs.js';
import { AppError } from '../runtime/errors.js';
import { receiveBody } from './receive.js';

const boundary = 'XyZ';
const head = (name: string) => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`;

describe('receiving an upload', () => {
  let dir: string;
  let blobs: FsBlobs;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'receive-'));
    blobs = await FsBlobs.open(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };

  it('stores every file of a multipart body and keeps its form fields', async () => {
    const body = new PassThrough();
    body.end(`${head('a.csv')}a,b\n1,2\n\r\n--${boundary}\r\nContent-Disposition: form-data; name="symbol"\r\n\r\nEURUSD\r\n${head('b.csv')}x\n\r\n--${boundary}--\r\n`);
    const r = await receiveBody(body, headers, {}, blobs, 1e6);
    expect(r.files.map((f) => [f.name, f.size])).toEqual([['a.csv', 8], ['b.csv', 2]]);
    expect(r.fields).toEqual({ symbol: 'EURUSD' });
  });

  it('fails an upload the client abandons midway, leaving no half-written blob', async () => {
    const body = new PassThrough();
    const received = receiveBody(body, headers, {}, blobs, 1e6);
    body.write(`${head('c.csv')}${'x,y\n'.repeat(1000)}`);
    await new Promise((r) => setTimeout(r, 50));
    body.destroy();
    await expect(received).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('interrupted') });
    expect(await readdir(path.join(dir, 'incoming'))).toEqual([]);
  });

  it('refuses bytes beyond the limit across all files', async () => {
    const body = new PassThrough();
    body.end(`${head('d.csv')}${'z'.repeat(2000)}\r\n--${boundary}--\r\n`);
    await expect(receiveBody(body, headers, {}, blobs, 1000)).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('stops at a form field its caller refuses, before storing the file parts after it', async () => {
    const body = new PassThrough();
    const content = `${'never stored\n'.repeat(10)}`;
    body.end(`--${boundary}\r\nContent-Disposition: form-data; name="onRejects"\r\n\r\nmaybe\r\n${head('e.csv')}${content}\r\n--${boundary}--\r\n`);
    const refuse = (fields: Readonly<Record<string, string>>) => {
      if (fields.onRejects !== undefined && fields.onRejects !== 'skip') throw new AppError('invalid_input', 'onRejects must be fail or skip', { field: 'onRejects' });
    };
    await expect(receiveBody(body, headers, {}, blobs, 1e6, { checkFields: refuse })).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'onRejects' } });
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(await blobs.has(sha256)).toBe(false);
    expect(await readdir(path.join(dir, 'incoming'))).toEqual([]);
  });
});
