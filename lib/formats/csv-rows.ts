import Papa from 'papaparse';
import { AppError, printable } from '../runtime/errors.js';

/**
 * CSV text in, rows with their exact physical line numbers out, in batches, in bounded memory.
 * papaparse's low-level parser does the splitting (it was the fastest measured here); this module
 * feeds it chunk by chunk, carries the unfinished last row over to the next chunk, and counts lines,
 * including those inside quoted fields that hold newlines.
 */
export interface CsvRowBatch {
  rows: string[][];
  /** Line of `rows[0]`; row i starts on `firstLine + i` unless `lines` is given. */
  firstLine: number;
  /** Start line of each row, present only when some row in the batch spans several lines. */
  lines?: number[];
  /** Rows (index in this batch) whose quoting was malformed, with what was wrong. */
  malformed?: Map<number, string>;
}

export interface CsvRowsOptions {
  file: string;
  /** Detected from the first line when omitted. */
  delimiter?: string;
  /** Longest row accepted; a row longer than this is almost always a quote that never closes. */
  maxRowChars: number;
}

export function rowLine(batch: CsvRowBatch, index: number): number {
  return batch.lines?.[index] ?? batch.firstLine + index;
}

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

/** The delimiter that occurs most often outside quotes in a header line; a comma when none does. */
export function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of CANDIDATE_DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (const ch of headerLine) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === d) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

export async function* csvRowBatches(text: AsyncIterable<string>, opts: CsvRowsOptions): AsyncGenerator<CsvRowBatch> {
  let parser: Papa.Parser | undefined = opts.delimiter === undefined ? undefined : makeParser(opts.delimiter);
  let pending = '';
  let line = 1;

  for await (const chunk of text) {
    const input = pending ? pending + chunk : chunk;
    if (!parser) {
      const firstNewline = input.indexOf('\n');
      if (firstNewline === -1 && input.length <= opts.maxRowChars) {
        pending = input;
        continue;
      }
      parser = makeParser(detectDelimiter(input.slice(0, firstNewline === -1 ? input.length : firstNewline)));
    }
    const result = parser.parse(input, 0, true) as PapaResult;
    const consumed = result.meta.cursor;
    const batch = toBatch(result, input, consumed, line, false);
    line += countNewlines(input, consumed);
    pending = consumed === 0 ? input : input.slice(consumed);
    if (batch) yield batch;
    if (pending.length > opts.maxRowChars) {
      throw new AppError('line_too_long', `${opts.file}: the row starting on line ${line} runs past ${opts.maxRowChars} characters`, {
        file: opts.file,
        line,
        expected: `a row of at most ${opts.maxRowChars} characters (is a quote left open?)`,
        found: printable(pending.slice(0, 60)),
      });
    }
  }
  if (pending) {
    parser ??= makeParser(detectDelimiter(pending));
    const result = parser.parse(pending, 0, false) as PapaResult;
    const batch = toBatch(result, pending, pending.length, line, true);
    if (batch) yield batch;
  }
}

interface PapaResult {
  data: string[][];
  errors: { code: string; message: string; row?: number }[];
  meta: { cursor: number };
}

function makeParser(delimiter: string): Papa.Parser {
  // '\n' even for CRLF files: the '\r' left on a row's last field is cut in toBatch, and a file that
  // mixes both line endings still splits correctly.
  return new Papa.Parser({ delimiter, newline: '\n', quoteChar: '"' });
}

function toBatch(result: PapaResult, input: string, consumed: number, firstLine: number, final: boolean): CsvRowBatch | undefined {
  const rows = result.data;
  if (rows.length === 0) return undefined;
  for (const row of rows) {
    const last = row[row.length - 1];
    if (last !== undefined && last.charCodeAt(last.length - 1) === 13) row[row.length - 1] = last.slice(0, -1);
  }
  const batch: CsvRowBatch = { rows, firstLine };
  const newlines = countNewlines(input, consumed);
  const unterminatedLast = final && consumed > 0 && input.charCodeAt(consumed - 1) !== 10 ? 1 : 0;
  if (newlines !== rows.length - unterminatedLast) batch.lines = linesOfMultilineRows(rows, firstLine);
  for (const e of result.errors) {
    if (e.row === undefined || e.row >= rows.length) continue;
    (batch.malformed ??= new Map()).set(e.row, e.message);
  }
  return batch;
}

/** Start line of each row when quoted fields hold newlines: each newline inside a row pushes the next row down. */
function linesOfMultilineRows(rows: string[][], firstLine: number): number[] {
  const lines = new Array<number>(rows.length);
  let line = firstLine;
  for (let i = 0; i < rows.length; i++) {
    lines[i] = line;
    line++;
    for (const field of rows[i] ?? []) line += countNewlines(field, field.length);
  }
  return lines;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
