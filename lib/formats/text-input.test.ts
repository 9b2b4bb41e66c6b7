import { describe, expect, it } from 'vitest';
import { failure } from '../../tests/fixtures/formats/fixture-source.js';
import { byteSourceFrom } from './byte-source.js';
import { decodeHead, sniffEncoding, textChunks, utf8Chunks } from './text-input.js';

async function text(source: AsyncIterable<Uint8Array>, maxLineBytes?: number): Promise<string> {
  let out = '';
  for await (const chunk of textChunks(source, { file: 'in.csv', maxLineBytes })) out += chunk;
  return out;
}

function utf16(textValue: string, bigEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(2 + textValue.length * 2);
  bytes.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < textValue.length; i++) {
    const unit = textValue.charCodeAt(i);
    bytes[2 + i * 2 + (bigEndian ? 1 : 0)] = unit & 0xff;
    bytes[2 + i * 2 + (bigEndian ? 0 : 1)] = unit >> 8;
  }
  return bytes;
}

describe('text input', () => {
  it('drops a UTF-8 byte order mark', async () => {
    expect(await text(byteSourceFrom(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0x62])))).toBe('ab');
  });

  it('decodes UTF-16LE and UTF-16BE exports that start with a BOM, even cut into odd chunks', async () => {
    const content = 'Net €,Symbol\r\n10 104.73,US30\r\n';
    expect(await text(byteSourceFrom(utf16(content, false), 3))).toBe(content);
    expect(await text(byteSourceFrom(utf16(content, true), 5))).toBe(content);
  });

  it('keeps multi-byte characters whole when chunks split them', async () => {
    expect(await text(byteSourceFrom('Net €\n10\u00a0104.73\n', 1))).toBe('Net €\n10\u00a0104.73\n');
  });

  it('reads a Windows-1252 export with its euro sign', async () => {
    const bytes = Uint8Array.from([...Buffer.from('Symbol,Net '), 0x80, 0x0a, ...Buffer.from('US30,12.5\n')]);
    expect(sniffEncoding(bytes)).toEqual({ encoding: 'windows-1252', bomLength: 0 });
    expect(await text(byteSourceFrom(bytes))).toBe('Symbol,Net €\nUS30,12.5\n');
  });

  it('refuses binary junk, naming the file', async () => {
    const junk = Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256);
    const err = await failure(() => text(byteSourceFrom(junk)));
    expect(err.code).toBe('binary_content');
    expect(err.details?.file).toBe('in.csv');
    expect(() => decodeHead(Uint8Array.from([0x50, 0x00, 0x01, 0x02, 0xff, 0x00]), 'x.bin')).toThrow(/not a text file/);
  });

  it('calls a zero-byte file empty', async () => {
    expect((await failure(() => text(byteSourceFrom('')))).code).toBe('empty_file');
  });

  it('calls a whitespace-only file empty', async () => {
    expect((await failure(() => text(byteSourceFrom(' \r\n\t\n  ')))).code).toBe('empty_file');
    expect((await failure(async () => { for await (const _ of utf8Chunks(byteSourceFrom('\n\n'), { file: 'e.json' })); })).code).toBe('empty_file');
  });

  it('refuses a line longer than the limit, naming its 1-based line number', async () => {
    const input = `short\nalso short\n${'x'.repeat(200)}\nend\n`;
    const err = await failure(() => text(byteSourceFrom(input, 16), 100));
    expect(err.code).toBe('line_too_long');
    expect(err.details).toMatchObject({ file: 'in.csv', line: 3 });
  });

  it('counts a UTF-16 line in bytes, two per character', async () => {
    const err = await failure(() => text(byteSourceFrom(utf16(`ab\n${'y'.repeat(60)}\n`, false)), 100));
    expect(err.details).toMatchObject({ line: 2 });
  });

  it('passes UTF-8 bytes through untouched and transcodes UTF-16 to UTF-8 for byte parsers', async () => {
    const chunks: Uint8Array[] = [];
    for await (const c of utf8Chunks(byteSourceFrom(utf16('[{"a":"€"}]', false), 3), { file: 'e.json' })) chunks.push(c);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('[{"a":"€"}]');
  });
});
