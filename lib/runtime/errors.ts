/**
 * One error envelope leaves the system: `{ error: { code, message, details?, callId } }`.
 * Errors are values with a code; the HTTP status is derived from the code's class, never chosen ad hoc.
 */

/** Where in the input a problem sits. Every field is optional because not every input has lines or columns. */
export interface ProblemLocation {
  file?: string;
  /** 1-based physical line in the file. */
  line?: number;
  /** 1-based data row (excluding header rows). */
  row?: number;
  /** Column header, JSON path or parameter name. */
  field?: string;
  /** What the reader expected to find there. */
  expected?: string;
  /** A short, printable excerpt of what it found. */
  found?: string;
}

const STATUS_BY_CODE = {
  bad_request: 400,
  invalid_input: 400,
  empty_file: 400,
  unknown_format: 415,
  binary_content: 415,
  truncated_json: 422,
  invalid_json: 422,
  missing_columns: 422,
  invalid_value: 422,
  line_too_long: 422,
  rejected_rows: 422,
  unprocessable: 422,
  zip_bomb: 413,
  zip_path_escape: 400,
  zip_invalid: 422,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  busy: 429,
  unavailable: 503,
  timeout: 504,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export interface ErrorDetails extends ProblemLocation {
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(STATUS_BY_CODE, value);
}

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: ErrorDetails; callId: string };
}

/** Anything thrown that is not an AppError is a bug: it becomes `internal` and its message is not leaked. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('internal', 'internal error', undefined, { cause: err });
}

export function toEnvelope(err: AppError, callId: string): ErrorEnvelope {
  const error: ErrorEnvelope['error'] = { code: err.code, message: err.message, callId };
  if (err.details !== undefined) error.details = err.details;
  return { error };
}

/**
 * A found value as an error shows it: one line (control characters become spaces) of at most 80
 * characters, so a binary or enormous field cannot flood a message or a log.
 */
export function printable(value: unknown): string {
  const text = (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function describeLocation(loc: ProblemLocation): string {
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  else if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.field) parts.push(`field "${loc.field}"`);
  return parts.join(', ');
}
