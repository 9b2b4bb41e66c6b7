import { describe, expect, it } from 'vitest';
import { failure } from '../../tests/fixtures/formats/fixture-source.js';
import { csvRowBatches, detectDelimiter, rowLine } from './csv-rows.js';

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function rows(text: string, size: number): Promise<{ cells: string[]; line: number }[]> {
  const out: { cells: string[]; line: number }[] = [];
  for await (const batch of csvRowBatches(chunks(text, size), { file: 'x.csv', maxRowChars: 1000 })) {
    batch.rows.forEach((cells, i) => out.push({ cells, line: rowLine(batch, i) }));
  }
  return out;
}

describe('CSV rows', () => {
  it('gives the physical start line of each row, counting newlines inside quoted fields, whatever the chunking', async () => {
    const text = 'a,b\r\n1,"x"\r\n2,"multi\r\nline\r\nvalue"\r\n3,"y"\r\n\r\n4,z';
    for (const size of [1, 2, 3, 7, 64]) {
      const got = await rows(text, size);
      expect(got.map((r) => r.line), `chunk size ${size}`).toEqual([1, 2, 3, 6, 7, 8]);
      expect(got[2]?.cells).toEqual(['2', 'multi\r\nline\r\nvalue']);
      expect(got[5]?.cells).toEqual(['4', 'z']);
    }
  });

  it('keeps escaped quotes and delimiters inside quoted fields', async () => {
    const got = await rows('a;b\n"say ""hi""";"1;2"\n', 4);
    expect(got[1]?.cells).toEqual(['say "hi"', '1;2']);
  });

  it('detects the delimiter from the header line', () => {
    expect(detectDelimiter('"Symbol";"Net €";"Balance €"')).toBe(';');
    expect(detectDelimiter('Date\tOpen\tHigh')).toBe('\t');
    expect(detectDelimiter('Label,Entry time (UTC+1),Symbol')).toBe(',');
  });

  it('refuses a quote that never closes once the row outgrows the limit', async () => {
    const err = await failure(() => rows(`a,b\n1,"open quote\n${'x,'.repeat(2000)}`, 100));
    expect(err.code).toBe('line_too_long');
    expect(err.details).toMatchObject({ line: 2 });
  });
});
