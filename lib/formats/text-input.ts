import { AppError } from '../runtime/errors.js';
import type { ByteSource } from './types.js';

/**
 * Bytes in, checked text out. Every reader starts here so that the same rules hold for every format:
 * a BOM decides the encoding (Windows tools write UTF-16 with one), junk is refused before any parser
 * sees it, an empty file is named as such, and no line can grow without bound.
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface SniffedEncoding {
  encoding: TextEncodingName;
  bomLength: number;
}

export interface TextInputOptions {
  file: string;
  /**
   * Longest line accepted, in bytes of the source encoding. Omitted for JSON: a minified document is
   * one legitimate line, and the JSON readers stream tokens, so line length does not bound their memory.
   */
  maxLineBytes?: number;
}

/** How much of the start of a file the binary/encoding sniff looks at. */
export const SNIFF_BYTES = 8 * 1024;

/** Above this share of bytes that are not text, a file is treated as binary rather than as a legacy code page. */
const MAX_INVALID_SHARE = 0.1;
const MAX_CONTROL_SHARE = 0.01;

export function sniffEncoding(head: Uint8Array): SniffedEncoding | 'binary' {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) {
    // FF FE 00 00 is UTF-32LE, which no cTrader tool writes.
    return head[2] === 0 && head[3] === 0 ? 'binary' : { encoding: 'utf-16le', bomLength: 2 };
  }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };

  const sample = head.subarray(0, SNIFF_BYTES);
  const bomless = utf16WithoutBom(sample);
  if (bomless) return { encoding: bomless, bomLength: 0 };

  let controls = 0;
  for (const b of sample) {
    if (b === 0) return 'binary';
    // Tab, LF, FF, CR and ESC (colour codes in logs) occur in text; other C0 controls do not.
    if (b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27) controls++;
  }
  if (controls > Math.max(2, sample.length * MAX_CONTROL_SHARE)) return 'binary';

  const invalid = countInvalidUtf8(sample);
  if (invalid === 0) return { encoding: 'utf-8', bomLength: 0 };
  // A few stray high bytes are a Windows code-page export ("Net €" written as 0x80); many are binary.
  return invalid <= sample.length * MAX_INVALID_SHARE ? { encoding: 'windows-1252', bomLength: 0 } : 'binary';
}

/** Decodes a sniffed head for format detection; throws the same errors a reader would. */
export function decodeHead(head: Uint8Array, file: string): string {
  if (head.length === 0) throw emptyFile(file);
  const sniffed = sniffEncoding(head);
  if (sniffed === 'binary') throw binaryContent(file);
  return makeDecoder(sniffed.encoding)(head.subarray(sniffed.bomLength), true);
}

/** Decoded text chunks of a source, with the line-length limit enforced while streaming. */
export async function* textChunks(source: ByteSource, opts: TextInputOptions): AsyncGenerator<string> {
  const opened = await openSource(source, opts.file);
  const decode = makeDecoder(opened.encoding);
  const guard = opts.maxLineBytes === undefined ? undefined : new LineLengthGuard(opts.file, opts.maxLineBytes);
  const twoBytesPerUnit = opened.encoding === 'utf-16le' || opened.encoding === 'utf-16be';
  let hasContent = false;
  const emit = (text: string): string => {
    if (guard && twoBytesPerUnit) guard.text(text, 2);
    if (!hasContent) hasContent = /\S/.test(text);
    return text;
  };
  for await (const bytes of opened.chunks) {
    if (guard && !twoBytesPerUnit) guard.bytes(bytes);
    const text = emit(decode(bytes, true));
    if (text) yield text;
  }
  const tail = emit(decode(new Uint8Array(0), false));
  if (tail) yield tail;
  if (!hasContent) throw emptyFile(opts.file);
}

/**
 * UTF-8 bytes of a source (BOM removed, other encodings transcoded), for parsers that work on bytes.
 * A UTF-8 source passes through without being decoded.
 */
export async function* utf8Chunks(source: ByteSource, opts: TextInputOptions): AsyncGenerator<Uint8Array> {
  const opened = await openSource(source, opts.file);
  if (opened.encoding !== 'utf-8') {
    const encoder = new TextEncoder();
    for await (const text of textChunks(reopened(opened), opts)) yield encoder.encode(text);
    return;
  }
  const guard = opts.maxLineBytes === undefined ? undefined : new LineLengthGuard(opts.file, opts.maxLineBytes);
  let hasContent = false;
  for await (const bytes of opened.chunks) {
    guard?.bytes(bytes);
    if (!hasContent) hasContent = containsNonWhitespace(bytes);
    if (bytes.length) yield bytes;
  }
  if (!hasContent) throw emptyFile(opts.file);
}

/** Tracks the current line's length across chunks; throws as soon as it passes the limit. */
export class LineLengthGuard {
  private line = 1;
  private length = 0;

  constructor(
    private readonly file: string,
    private readonly maxLineBytes: number,
  ) {}

  bytes(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      this.length += end - start;
      if (this.length > this.maxLineBytes) throw this.tooLong();
      if (newline === -1) return;
      this.line++;
      this.length = 0;
      start = newline + 1;
    }
  }

  text(chunk: string, bytesPerUnit: number): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', start);
      const end = newline === -1 ? chunk.length : newline;
      this.length += (end - start) * bytesPerUnit;
      if (this.length > this.maxLineBytes) throw this.tooLong();
      if (newline === -1) return;
      this.line++;
      this.length = 0;
      start = newline + 1;
    }
  }

  private tooLong(): AppError {
    return new AppError('line_too_long', `${this.file}: line ${this.line} is longer than ${this.maxLineBytes} bytes`, {
      file: this.file,
      line: this.line,
      expected: `at most ${this.maxLineBytes} bytes per line`,
      found: `more than ${this.maxLineBytes} bytes`,
    });
  }
}

export function emptyFile(file: string): AppError {
  return new AppError('empty_file', `${file} is empty`, { file, expected: 'some content', found: 'no data' });
}

function binaryContent(file: string): AppError {
  return new AppError('binary_content', `${file} is not a text file (it holds binary data)`, {
    file,
    line: 1,
    expected: 'text (CSV, JSON, HTML or a log) in UTF-8, UTF-16 or a Windows code page',
    found: 'binary data',
  });
}

interface OpenedSource {
  encoding: TextEncodingName;
  chunks: AsyncIterable<Uint8Array>;
}

/** Buffers just enough of the start to decide the encoding, then hands the stream on unchanged. */
async function openSource(source: ByteSource, file: string): Promise<OpenedSource> {
  const iterator = source[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let total = 0;
  let done = false;
  while (total < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    parts.push(next.value);
    total += next.value.length;
  }
  const head = concat(parts, total);
  if (head.length === 0) throw emptyFile(file);
  const sniffed = sniffEncoding(head);
  if (sniffed === 'binary') throw binaryContent(file);
  const first = head.subarray(sniffed.bomLength);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (first.length) yield first;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { encoding: sniffed.encoding, chunks: chunks() };
}

/** Re-enters textChunks with an already opened stream, so its encoding is not sniffed twice. */
function reopened(opened: OpenedSource): ByteSource {
  const { encoding, chunks } = opened;
  const bom = encoding === 'utf-16le' ? [0xff, 0xfe] : encoding === 'utf-16be' ? [0xfe, 0xff] : [];
  return (async function* () {
    // windows-1252 has no BOM and is recognised again from its invalid UTF-8; the UTF-16 BOM is put back.
    if (bom.length) yield Uint8Array.from(bom);
    yield* chunks;
  })();
}

type Decode = (bytes: Uint8Array, more: boolean) => string;

function makeDecoder(encoding: TextEncodingName): Decode {
  if (encoding === 'windows-1252') return decodeWindows1252;
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  return (bytes, more) => decoder.decode(bytes, { stream: more });
}

/** 0x80..0x9F of Windows-1252; Node's TextDecoder treats the label as Latin-1 and leaves these as C1 controls. */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
const latin1 = new TextDecoder('latin1');

function decodeWindows1252(bytes: Uint8Array): string {
  return latin1.decode(bytes).replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

function utf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(sample.length / 2);
  // Too few bytes to tell UTF-16 text from binary by its zero bytes.
  if (pairs < 8) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  if (oddZeros >= pairs * 0.4 && evenZeros <= pairs * 0.05) return 'utf-16le';
  if (evenZeros >= pairs * 0.4 && oddZeros <= pairs * 0.05) return 'utf-16be';
  return undefined;
}

function countInvalidUtf8(sample: Uint8Array): number {
  // `stream: true` keeps a character cut by the end of the sample from counting as invalid.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(sample, { stream: true });
  let invalid = 0;
  for (let at = text.indexOf('\uFFFD'); at !== -1; at = text.indexOf('\uFFFD', at + 1)) invalid++;
  return invalid;
}

function containsNonWhitespace(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) return true;
  return false;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
