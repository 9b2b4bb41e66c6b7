import { AppError } from '../runtime/errors.js';
import type { JsonPosition } from './json-stream.js';
import { reportBatches } from './report-json.js';
import { utf8Chunks } from './text-input.js';
import type { ByteSource, ReadOptions, SourceContext, TradeFileReader } from './types.js';

/**
 * cTrader's report.html carries the report JSON in `<script type="application/json"
 * id="backtesting-report">`. The page is scanned as it streams, so neither the page nor the JSON has to
 * fit in memory; errors inside the JSON name lines of the HTML file.
 */

const MARKER = new TextEncoder().encode('backtesting-report');
/** Bytes kept across chunk boundaries: enough to see `<script ... id="` before the marker. */
const LOOKBEHIND = 512;

export function readReportHtml(source: ByteSource, opts: ReadOptions): TradeFileReader {
  const context: SourceContext = { format: 'ctrader-report-html' };
  return {
    context,
    batches: () => {
      const origin: JsonPosition = { line: 1, column: 1 };
      const json = embeddedReportJson(utf8Chunks(source, { file: opts.file }), opts.file, origin);
      return reportBatches(json, opts, context, { origin });
    },
  };
}

/** The bytes between the report script's opening tag and its `</script>`; sets `origin` to where they start. */
export async function* embeddedReportJson(html: AsyncIterable<Uint8Array>, file: string, origin: JsonPosition): AsyncGenerator<Uint8Array> {
  let carry = new Uint8Array(0);
  let carryStartLine = 1;
  let carryStartColumn = 1;
  let inside = false;

  for await (const chunk of html) {
    let buffer = join(carry, chunk);
    if (!inside) {
      const start = scriptContentStart(buffer);
      if (start === undefined) {
        const keep = Math.min(buffer.length, LOOKBEHIND);
        ({ line: carryStartLine, column: carryStartColumn } = advance(buffer.subarray(0, buffer.length - keep), carryStartLine, carryStartColumn));
        carry = buffer.slice(buffer.length - keep);
        continue;
      }
      const at = advance(buffer.subarray(0, start), carryStartLine, carryStartColumn);
      origin.line = at.line;
      origin.column = at.column;
      inside = true;
      buffer = buffer.subarray(start);
    }
    const end = closingScriptTag(buffer);
    if (end !== -1) {
      if (end > 0) yield buffer.subarray(0, end);
      return;
    }
    // "</script" may be split across chunks: hold back a few bytes.
    const hold = Math.min(buffer.length, 8);
    if (buffer.length > hold) yield buffer.subarray(0, buffer.length - hold);
    carry = buffer.slice(buffer.length - hold);
  }
  if (!inside) {
    throw new AppError('unprocessable', `${file} is an HTML page without cTrader's report data (no <script id="backtesting-report">)`, {
      file,
      expected: '<script type="application/json" id="backtesting-report"> as cTrader writes into report.html',
      found: 'no such element',
    });
  }
  if (carry.length) yield carry;
}

/** Offset just after the `>` of a `<script ... id="backtesting-report" ...>` tag, if the buffer holds one. */
function scriptContentStart(buffer: Uint8Array): number | undefined {
  for (let at = indexOf(buffer, MARKER, 0); at !== -1; at = indexOf(buffer, MARKER, at + 1)) {
    const tagStart = buffer.lastIndexOf(60 /* < */, at);
    if (tagStart === -1) continue;
    const opening = new TextDecoder().decode(buffer.subarray(tagStart, at + MARKER.length + 1));
    if (!/^<script\b[^>]*\bid\s*=\s*["']?backtesting-report(?:["'\s>]|$)/i.test(opening)) continue;
    const close = buffer.indexOf(62 /* > */, at + MARKER.length);
    if (close === -1) return undefined;
    return close + 1;
  }
  return undefined;
}

function closingScriptTag(buffer: Uint8Array): number {
  for (let at = buffer.indexOf(60); at !== -1; at = buffer.indexOf(60, at + 1)) {
    if (buffer[at + 1] !== 47 /* / */) continue;
    const name = new TextDecoder().decode(buffer.subarray(at + 2, at + 8)).toLowerCase();
    if (name === 'script') return at;
  }
  return -1;
}

function advance(bytes: Uint8Array, line: number, column: number): JsonPosition {
  let lastNewline = -1;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) {
    line++;
    lastNewline = at;
  }
  return { line, column: lastNewline === -1 ? column + bytes.length : bytes.length - lastNewline };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] ?? 0;
  for (let at = haystack.indexOf(first, from); at !== -1 && at + needle.length <= haystack.length; at = haystack.indexOf(first, at + 1)) {
    let match = true;
    for (let k = 1; k < needle.length; k++) {
      if (haystack[at + k] !== needle[k]) {
        match = false;
        break;
      }
    }
    if (match) return at;
  }
  return -1;
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
