import { Tokenizer, TokenParser, TokenParserError, TokenType, TokenizerError } from '@streamparser/json';
import type { ParsedElementInfo, ParsedTokenInfo } from '@streamparser/json';
import { AppError } from '../runtime/errors.js';

/**
 * Streams selected values out of a JSON document of any size, naming line and column on failure.
 * @streamparser/json does the tokenizing (measured faster than stream-json here); this module adds what
 * our readers need on top: dropping already-handed-out elements of huge arrays so memory stays flat,
 * the start line of every value for issues, and truncated-versus-invalid errors with a position.
 */
export interface JsonStreamOptions {
  file: string;
  /** Selectors of the values to hand out: `$` (the whole document), `$.*`, `$.history.items.*`. */
  paths: string[];
  /**
   * Parent paths whose children are dropped once handed out (`$.history.items`), so that an array of a
   * million items is never held whole. The parent is then handed out (if selected) without them.
   */
  streamedParents?: string[];
  /** Where the document starts in the file, when it is embedded in another (report.html). */
  origin?: { line: number; column: number };
}

export interface JsonValue {
  value: unknown;
  /** Property name or array index under the parent. */
  key: string | number | undefined;
  /** `$` for a top-level member, `$.history.items` for an item, `` for the document itself. */
  parentPath: string;
  /** Line of the value's first character. */
  line: number;
}

export interface JsonPosition {
  line: number;
  column: number;
}

export class JsonValueStream {
  private readonly lines = new LineIndex();

  constructor(
    private readonly bytes: AsyncIterable<Uint8Array>,
    private readonly opts: JsonStreamOptions,
  ) {}

  /** Line and column (1-based; the column counts bytes) of an offset in the chunk being parsed or the one before it. */
  private position(offset: number): JsonPosition {
    const { line, column } = this.lines.positionOf(offset);
    const origin = this.opts.origin;
    if (!origin) return { line, column };
    return { line: origin.line + line - 1, column: line === 1 ? origin.column + column - 1 : column };
  }

  async *values(): AsyncGenerator<JsonValue[]> {
    const streamed = new Set(this.opts.streamedParents ?? []);
    const tokenizer = new Tokenizer();
    const parser = new TokenParser({ paths: this.opts.paths, keepStack: false });
    // Line of each open object/array, taken when its bracket is read: by the time the value is complete,
    // the chunk that held its start may be gone.
    const openLines: number[] = [];
    let lastOffset = 0;
    let valueLine = 1;
    let out: JsonValue[] = [];

    tokenizer.onToken = (info: ParsedTokenInfo) => {
      const token = info.token;
      lastOffset = info.offset;
      if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) openLines.push(this.lines.positionOf(info.offset).line);
      else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) valueLine = openLines.pop() ?? valueLine;
      else valueLine = -1;
      parser.write(info);
    };
    parser.onValue = (info: ParsedElementInfo) => {
      const parentPath = pathOf(info.stack);
      const parent = info.parent as unknown;
      if (streamed.has(parentPath) && parent !== undefined && parent !== null) {
        // Elements of a streamed array are handed out and then forgotten by the parser (which does so
        // itself only when no ancestor is selected too).
        if (Array.isArray(parent)) {
          if (parent.length > 0 && parent[parent.length - 1] === info.value) parent.length -= 1;
        } else if (typeof info.key === 'string' && (parent as Record<string, unknown>)[info.key] === info.value) {
          delete (parent as Record<string, unknown>)[info.key];
        }
      }
      const line = valueLine === -1 ? this.lines.positionOf(lastOffset).line : valueLine;
      out.push({ value: info.value, key: info.key, parentPath, line: line + (this.opts.origin ? this.opts.origin.line - 1 : 0) });
    };

    for await (const chunk of this.bytes) {
      this.lines.add(chunk);
      try {
        tokenizer.write(chunk);
      } catch (err) {
        throw this.invalid(err, lastOffset);
      }
      if (out.length) {
        yield out;
        out = [];
      }
    }
    try {
      if (!tokenizer.isEnded) tokenizer.end();
    } catch (err) {
      if (err instanceof TokenizerError && /ended in the middle/.test(err.message)) throw this.truncated();
      throw this.invalid(err, lastOffset);
    }
    if (!parser.isEnded) throw this.truncated();
    if (out.length) yield out;
  }

  private truncated(): AppError {
    const { line, column } = this.position(this.lines.end);
    return new AppError('truncated_json', `${this.opts.file} ends in the middle of its JSON (line ${line}, column ${column}): the file is cut short`, {
      file: this.opts.file,
      line,
      column,
      expected: 'the rest of the JSON document',
      found: 'end of file',
    });
  }

  private invalid(err: unknown, lastOffset: number): AppError {
    if (!(err instanceof TokenizerError) && !(err instanceof TokenParserError)) throw err;
    const absolute = /absolute position "(\d+)"/.exec(err.message);
    const offset = absolute ? Number(absolute[1]) : lastOffset;
    const { line, column } = this.position(offset);
    const found = this.lines.excerpt(offset);
    return new AppError('invalid_json', `${this.opts.file} is not valid JSON at line ${line}, column ${column} (near "${found}")`, {
      file: this.opts.file,
      line,
      column,
      expected: 'valid JSON',
      found,
      reason: err.message,
    });
  }
}

function pathOf(stack: ParsedElementInfo['stack']): string {
  if (stack.length === 0) return '';
  let path = '$';
  for (let i = 1; i < stack.length; i++) path += `.${String(stack[i]?.key)}`;
  return path;
}

/** Newline positions of the last two chunks, and the line (and line start) each chunk begins in. */
class LineIndex {
  private current: Chunk = { start: 0, line: 1, lineStart: 0, bytes: new Uint8Array(0), newlines: [] };
  private previous: Chunk | undefined;
  end = 0;

  add(bytes: Uint8Array): void {
    const before = this.current;
    const lastNewline = before.newlines[before.newlines.length - 1];
    const newlines: number[] = [];
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) newlines.push(at);
    this.previous = before;
    this.current = {
      start: this.end,
      line: before.line + before.newlines.length,
      lineStart: lastNewline === undefined ? before.lineStart : before.start + lastNewline + 1,
      bytes,
      newlines,
    };
    this.end += bytes.length;
  }

  /** Exact for offsets in the last two chunks; older offsets get the start of the older chunk. */
  positionOf(offset: number): JsonPosition {
    const chunk = offset >= this.current.start || !this.previous ? this.current : this.previous;
    const local = Math.max(0, offset - chunk.start);
    // Binary search: how many newlines of the chunk come before `local`.
    let lo = 0;
    let hi = chunk.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((chunk.newlines[mid] ?? 0) < local) lo = mid + 1;
      else hi = mid;
    }
    const lineStart = lo === 0 ? chunk.lineStart : chunk.start + (chunk.newlines[lo - 1] ?? 0) + 1;
    return { line: chunk.line + lo, column: chunk.start + local - lineStart + 1 };
  }

  excerpt(offset: number): string {
    const chunk = offset >= this.current.start ? this.current : this.previous;
    if (!chunk) return '';
    const local = offset - chunk.start;
    const text = new TextDecoder().decode(chunk.bytes.subarray(Math.max(0, local - 20), local + 20));
    return text.replace(/\s+/g, ' ').trim().slice(0, 60);
  }
}

interface Chunk {
  /** Offset of the chunk's first byte in the document. */
  start: number;
  /** Line the chunk's first byte is on. */
  line: number;
  /** Offset where that line starts (possibly in an earlier chunk). */
  lineStart: number;
  bytes: Uint8Array;
  newlines: number[];
}

export type PositionedValue = JsonValue;

/**
 * A small JSON document read whole, with the line of each selected value. Parameter files are a few
 * KB; the cap keeps a mislabelled huge upload from being read into memory.
 */
export async function readSmallJson(
  bytes: AsyncIterable<Uint8Array>,
  opts: { file: string; paths: string[]; maxBytes: number },
): Promise<PositionedValue[]> {
  let total = 0;
  async function* capped(): AsyncGenerator<Uint8Array> {
    for await (const chunk of bytes) {
      total += chunk.length;
      if (total > opts.maxBytes) {
        throw new AppError('payload_too_large', `${opts.file} is larger than ${opts.maxBytes} bytes, too large for a parameter file`, {
          file: opts.file,
          expected: `at most ${opts.maxBytes} bytes`,
          found: `more than ${opts.maxBytes} bytes`,
        });
      }
      yield chunk;
    }
  }
  const values: PositionedValue[] = [];
  for await (const batch of new JsonValueStream(capped(), { file: opts.file, paths: opts.paths }).values()) values.push(...batch);
  return values;
}
