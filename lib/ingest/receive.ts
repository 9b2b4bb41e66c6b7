import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { AppError } from '../runtime/errors.js';
import type { Blobs } from '../ports/blobs.js';

export interface ReceivedFile {
  sha256: string;
  size: number;
  name: string;
}

export interface ReceivedBody {
  files: ReceivedFile[];
  /** Form fields of a multipart body (symbol, name, ...). */
  fields: Record<string, string>;
}

const MAX_FILES = 100;

/**
 * Streams a request body into the blob store before anything reads it, so the raw bytes are kept
 * even if parsing fails. A multipart body may carry several files; any other body is one file named
 * by `X-File-Name`, the `filename` query parameter or Content-Disposition.
 */
export async function receiveBody(
  stream: Readable,
  headers: Record<string, string | undefined>,
  query: Record<string, string | undefined>,
  blobs: Blobs,
  limitBytes: number,
  options: ReceiveOptions = {},
): Promise<ReceivedBody> {
  const type = headers['content-type'] ?? '';
  if (type.toLowerCase().startsWith('multipart/form-data')) return receiveMultipart(stream, headers, blobs, limitBytes, options);
  const name = fileNameOf(headers, query);
  const stored = await blobs.put(stream, { limitBytes });
  return { files: [{ ...stored, name }], fields: {} };
}

function fileNameOf(headers: Record<string, string | undefined>, query: Record<string, string | undefined>): string {
  const fromHeader = headers['x-file-name'];
  if (fromHeader) return safeName(decodeURIComponentSafe(fromHeader));
  if (query.filename) return safeName(query.filename);
  const disposition = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(headers['content-disposition'] ?? '');
  if (disposition) return safeName(decodeURIComponentSafe(disposition[1]!));
  return 'upload';
}

export interface ReceiveOptions {
  /**
   * Called with the form fields so far as each one arrives; a throw ends the upload there, so the
   * file parts after a bad option are not stored only to be refused.
   */
  checkFields?: (fields: Readonly<Record<string, string>>) => void;
}

async function receiveMultipart(
  stream: Readable,
  headers: Record<string, string | undefined>,
  blobs: Blobs,
  limitBytes: number,
  options: ReceiveOptions,
): Promise<ReceivedBody> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: headers as Record<string, string>, limits: { files: MAX_FILES, fields: 50, fieldSize: 64 * 1024 } });
  } catch (err) {
    throw new AppError('bad_request', `cannot read the multipart body: ${(err as Error).message}`, { expected: 'multipart/form-data with a boundary' });
  }
  const fields: Record<string, string> = {};
  const stores: Promise<ReceivedFile>[] = [];
  const open = new Set<Readable>();
  let used = 0;
  let failure: Error | undefined;
  let rejectFinished: (err: Error) => void = () => undefined;
  // Whatever fails first (the client leaving, a file over the limit, a malformed body) ends the whole
  // upload: every file still being written is stopped, so its half-written blob is removed.
  const fail = (err: Error) => {
    if (failure) return;
    failure = err;
    for (const file of open) file.destroy(err);
    stream.unpipe(parser);
    rejectFinished(err);
  };
  const finished = new Promise<void>((resolve, reject) => {
    rejectFinished = reject;
    parser.on('file', (_field, file, info) => {
      // The parser may still be working through bytes it already had when the upload failed.
      if (failure) {
        file.resume();
        return;
      }
      const name = safeName(info.filename || `file-${stores.length + 1}`);
      open.add(file);
      file.on('close', () => open.delete(file));
      async function* counted(): AsyncGenerator<Uint8Array> {
        for await (const chunk of file as AsyncIterable<Buffer>) {
          used += chunk.byteLength;
          if (used > limitBytes) {
            throw new AppError('payload_too_large', `upload is larger than the limit of ${limitBytes} bytes`, {
              file: name,
              expected: `at most ${limitBytes} bytes in all (MAX_UPLOAD_BYTES)`,
            });
          }
          yield chunk;
        }
      }
      const put = blobs.put(counted()).then((s) => ({ ...s, name }));
      put.catch(fail);
      stores.push(put);
    });
    parser.on('field', (name, value) => {
      fields[name] = value;
      try {
        options.checkFields?.(fields);
      } catch (err) {
        fail(err as Error);
      }
    });
    parser.on('filesLimit', () =>
      fail(new AppError('bad_request', `at most ${MAX_FILES} files per upload`, { expected: `${MAX_FILES} files or fewer; zip a folder instead` })),
    );
    parser.on('error', (err) => fail(err instanceof AppError ? err : new AppError('bad_request', `cannot read the multipart body: ${(err as Error).message}`)));
    parser.on('close', resolve);
  });
  const interrupted = (err?: Error) => {
    if (!stream.readableEnded) fail(new AppError('bad_request', `the upload was interrupted${err ? `: ${err.message}` : ''}`, { expected: 'the whole request body' }));
  };
  stream.on('error', interrupted);
  stream.on('close', () => interrupted());
  stream.pipe(parser);
  try {
    await finished;
  } finally {
    // Not before every blob write has finished or cleaned up after itself.
    await Promise.allSettled(stores);
  }
  if (failure) throw failure;
  const files = await Promise.all(stores);
  if (files.length === 0) throw new AppError('empty_file', 'the multipart body holds no file', { expected: 'at least one file part' });
  return { files, fields };
}

/** Keeps a readable base name: no directories, no control characters. */
export function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
}

function decodeURIComponentSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
