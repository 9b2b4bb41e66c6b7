import { AppError } from '../runtime/errors.js';
import { describeColumn } from './column-names.js';
import { historyCsvKind, looksLikeHistoryHeader } from './ctrader-history-csv.js';
import { detectDelimiter } from './csv-rows.js';
import { looksLikeOhlcHeader } from './ohlc-csv.js';
import { decodeHead } from './text-input.js';
import type { Detection, FormatId } from './types.js';

/**
 * Which reader a file needs, decided from its first bytes (the caller passes up to ~64 KB). The file
 * name only breaks ties, because uploads are renamed and zipped folders hold generic names.
 */

export const DETECT_HEAD_BYTES = 64 * 1024;

const ROLES: Record<FormatId, Detection['role']> = {
  'ctrader-history-csv': 'trades',
  'ctrader-account-history-csv': 'trades',
  'ctrader-report-json': 'trades',
  'ctrader-report-html': 'trades',
  'ctrader-events-json': 'trades',
  'ctrader-cbotset': 'parameters',
  'ctrader-optimisation-params': 'parameters',
  'ohlc-csv': 'bars',
  zip: 'archive',
  'text-log': 'log',
};

export const ACCEPTED_FORMATS =
  'cTrader report.json or report.html, events.json, History or Account History CSV, .cbotset, optimisation ' +
  'parameters JSON, OHLC bar CSV (backtrader, backtesting.py or cTrader layout), log.txt, or a zip of these';

export function detectFormat(head: Uint8Array, fileName: string): Detection {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return detection('zip');
  const text = decodeHead(head.subarray(0, DETECT_HEAD_BYTES), fileName).replace(/^\uFEFF/, '');
  const body = text.trimStart();
  if (body === '') throw new AppError('empty_file', `${fileName} is empty`, { file: fileName, expected: 'some content', found: 'only whitespace' });

  let format: FormatId | undefined;
  if (body.startsWith('[') || body.startsWith('{')) format = jsonFormat(body, fileName);
  else if (isHtml(body)) format = 'ctrader-report-html';
  else format = csvFormat(body) ?? logFormat(body, fileName);
  if (!format) throw unknownFormat(fileName, body);
  return detection(format);
}

function detection(format: FormatId): Detection {
  return { format, role: ROLES[format] };
}

/**
 * The report script often sits after the page's styles, beyond the head, so any HTML page is taken for
 * a report; its reader says clearly when the report data is not there.
 */
function isHtml(body: string): boolean {
  return /^<(!doctype\s+html|html|head|body|meta|script)\b/i.test(body) || /id\s*=\s*["']?backtesting-report/i.test(body.slice(0, 4096));
}

/** Keys of the head's JSON, found by text: the head is usually an unfinished document that JSON.parse refuses. */
function jsonFormat(body: string, fileName: string): FormatId | undefined {
  const has = (key: string) => new RegExp(`"${key}"\\s*:`).test(body);
  if (body.startsWith('[')) {
    const first = body.slice(1).trimStart();
    if (first.startsWith('{') && has('positionId') && has('event')) return 'ctrader-events-json';
    // An empty event list is still an events file when it is named like one.
    if (first.startsWith(']') && /events?\b.*\.json$/i.test(fileName)) return 'ctrader-events-json';
    return undefined;
  }
  if (has('tradeStatistics') || (has('main') && (has('history') || has('equity'))) || (has('history') && has('items'))) return 'ctrader-report-json';
  if (/"parameters"\s*:\s*\[/i.test(body) && /"Name"\s*:/i.test(body) && /"(Optimize|Min|Max|Step|Values)"\s*:/i.test(body)) return 'ctrader-optimisation-params';
  if (/"(Chart|Parameters)"\s*:\s*\{/.test(body)) return 'ctrader-cbotset';
  if (/\.cbotset$/i.test(fileName) && /"parameters"\s*:\s*\{/i.test(body)) return 'ctrader-cbotset';
  return undefined;
}

function csvFormat(body: string): FormatId | undefined {
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = detectDelimiter(firstLine);
  const cells = splitHeader(firstLine, delimiter);
  if (cells.length < 3) return undefined;
  const keys = cells.map((c) => describeColumn(c).key);
  if (looksLikeHistoryHeader(keys)) return historyCsvKind(keys);
  if (looksLikeOhlcHeader(keys)) return 'ohlc-csv';
  return undefined;
}

/** Text whose lines mostly start with a date/time, or are `time | level | message`, is a log. */
function logFormat(body: string, fileName: string): FormatId | undefined {
  const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
  if (lines.length === 0) return undefined;
  const logLike = lines.filter((l) => /^\s*(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}(:\d{2})?)/.test(l) || / \| /.test(l)).length;
  if (logLike >= Math.ceil(lines.length / 2)) return 'text-log';
  if (/\b(log|journal)\b.*\.txt$|\.log$/i.test(fileName)) return 'text-log';
  return undefined;
}

function splitHeader(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

function unknownFormat(fileName: string, body: string): AppError {
  return new AppError('unknown_format', `${fileName} is not a format this platform reads. Accepted: ${ACCEPTED_FORMATS}`, {
    file: fileName,
    line: 1,
    expected: ACCEPTED_FORMATS,
    found: body.slice(0, 60).replace(/\s+/g, ' '),
  });
}
