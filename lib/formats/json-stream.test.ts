import { describe, expect, it } from 'vitest';
import { failure } from '../../tests/fixtures/formats/fixture-source.js';
import { byteSourceFrom } from './byte-source.js';
import { JsonValueStream, type JsonValue } from './json-stream.js';

async function values(json: string, paths: string[], chunkSize = 64 * 1024, streamedParents?: string[]) {
  const stream = new JsonValueStream(byteSourceFrom(json, chunkSize), { file: 'doc.json', paths, streamedParents });
  const out: JsonValue[] = [];
  for await (const batch of stream.values()) out.push(...batch);
  return out;
}

describe('streamed JSON', () => {
  it('hands out array elements with their start line, whatever the chunking', async () => {
    const json = '[\n  {"a": 1},\n  {\n    "a": "€"\n  },\n  3\n]\n';
    for (const size of [1, 5, 1000]) {
      const got = await values(json, ['$.*'], size);
      expect(got.map((v) => [v.value, v.line])).toEqual([
        [{ a: 1 }, 2],
        [{ a: '€' }, 3],
        [3, 6],
      ]);
    }
  });

  it('drops streamed items from their parent, so the parent arrives without them', async () => {
    const got = await values('{"history":{"columns":["id"],"items":[{"id":1},{"id":2}]},"main":{"x":1}}', ['$.*', '$.history.items.*'], 7, ['$.history.items']);
    expect(got.map((v) => [v.parentPath, v.key])).toEqual([
      ['$.history.items', 0],
      ['$.history.items', 1],
      ['$', 'history'],
      ['$', 'main'],
    ]);
    expect(got[2]?.value).toEqual({ columns: ['id'], items: [] });
  });

  it('calls a document that stops early truncated, with the line and column where it ends', async () => {
    const err = await failure(() => values('[\n  {"a": 1},\n  {"a": 2', ['$.*']));
    expect(err.code).toBe('truncated_json');
    expect(err.details).toMatchObject({ file: 'doc.json', line: 3, column: 10 });
    expect((await failure(() => values('{"a": "unfinished str', ['$']))).code).toBe('truncated_json');
  });

  it('calls malformed JSON invalid, naming line and column of the offending character', async () => {
    const err = await failure(() => values('[\n  {"a": 1},\n  {"a": tru}\n]', ['$.*'], 4));
    expect(err.code).toBe('invalid_json');
    expect(err.details).toMatchObject({ file: 'doc.json', line: 3, column: 12 });
    const missingComma = await failure(() => values('[\n  1\n  2\n]', ['$.*']));
    expect(missingComma.code).toBe('invalid_json');
    expect(missingComma.details).toMatchObject({ line: 3 });
    expect((await failure(() => values('[1] trailing', ['$.*']))).code).toBe('invalid_json');
  });
});
