import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AppError } from '../runtime/errors.js';
import type { Blobs } from '../ports/blobs.js';

export interface ZipLimits {
  maxUnzippedBytes: number;
  maxRatio: number;
  maxEntries: number;
}

export interface ZipEntryStored {
  sha256: string;
  size: number;
  /** Path inside the archive, with `/` separators. */
  path: string;
}

export interface ZipSkipped {
  path: string;
  reason: string;
}

/** Entries tools add that never hold data. */
const JUNK = [/^__MACOSX\//, /(^|\/)\.DS_Store$/, /(^|\/)Thumbs\.db$/, /(^|\/)desktop\.ini$/i];
/** Small entries compress well legitimately; the ratio test applies above this size. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

class BlobRangeReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly blobs: Blobs,
    private readonly sha256: string,
  ) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    return this.blobs.get(this.sha256, { start, end });
  }
}

/**
 * Stores each file of a zip archive as its own blob. Refuses, naming the entry, an archive that would
 * unpack beyond the limits (zip bomb) or whose paths leave the archive's folder (path escape). Sizes
 * are checked from the central directory before anything is inflated, and again while inflating,
 * since a hostile archive can lie in its directory.
 */
export async function expandZip(
  blobs: Blobs,
  archive: { sha256: string; size: number; name: string },
  limits: ZipLimits,
): Promise<{ entries: ZipEntryStored[]; skipped: ZipSkipped[] }> {
  const zip = await openZip(blobs, archive);
  const entries: ZipEntryStored[] = [];
  const skipped: ZipSkipped[] = [];
  let declaredTotal = 0;
  let count = 0;
  try {
    for await (const entry of entriesOf(zip, archive.name)) {
      count++;
      if (count > limits.maxEntries) {
        throw new AppError('zip_bomb', `${archive.name} holds more than ${limits.maxEntries} entries`, {
          file: archive.name,
          expected: `at most ${limits.maxEntries} entries (MAX_ZIP_ENTRIES)`,
        });
      }
      const path = entry.fileName;
      checkPath(path, archive.name);
      if (path.endsWith('/') || JUNK.some((j) => j.test(path))) continue;
      if (/\.zip$/i.test(path)) {
        skipped.push({ path, reason: 'nested archives are not opened; upload it on its own' });
        continue;
      }
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxUnzippedBytes) {
        throw new AppError('zip_bomb', `${archive.name} would unpack to more than ${limits.maxUnzippedBytes} bytes`, {
          file: archive.name,
          field: path,
          expected: `at most ${limits.maxUnzippedBytes} bytes unpacked (MAX_UNZIPPED_BYTES)`,
        });
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxRatio) {
        throw new AppError('zip_bomb', `${path} in ${archive.name} expands ${Math.round(ratio)} times, more than the limit of ${limits.maxRatio}`, {
          file: archive.name,
          field: path,
          expected: `a compression ratio of at most ${limits.maxRatio} (MAX_ZIP_RATIO)`,
        });
      }
      const stream = await openEntry(zip, entry, archive.name);
      const stored = await blobs.put(stream, { limitBytes: entry.uncompressedSize }).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'payload_too_large') {
          throw new AppError('zip_bomb', `${path} in ${archive.name} inflates beyond the size its directory declares`, {
            file: archive.name,
            field: path,
            expected: `${entry.uncompressedSize} bytes as declared`,
          });
        }
        throw err;
      });
      entries.push({ ...stored, path });
    }
  } finally {
    zip.close();
  }
  return { entries, skipped };
}

/** Rejects absolute paths, drive letters, backslashes and `..` segments. */
export function checkPath(path: string, archiveName: string): void {
  const escape =
    path.startsWith('/') ||
    /^[A-Za-z]:/.test(path) ||
    path.includes('\\') ||
    path.split('/').some((segment) => segment === '..') ||
    path.includes('\u0000');
  if (escape) {
    throw new AppError('zip_path_escape', `${archiveName} holds an entry whose path leaves the archive: "${path.slice(0, 200)}"`, {
      file: archiveName,
      field: path.slice(0, 200),
      expected: 'relative paths inside the archive, without ".." or a leading "/"',
    });
  }
}

function openZip(blobs: Blobs, archive: { sha256: string; size: number; name: string }): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(
      new BlobRangeReader(blobs, archive.sha256),
      archive.size,
      // Our own path check runs first, with a clearer message, so yauzl's is not needed.
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: true },
      (err, zip) => {
        if (err || !zip) reject(invalidZip(archive.name, err));
        else resolve(zip);
      },
    );
  });
}

async function* entriesOf(zip: yauzl.ZipFile, archiveName: string): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (e: yauzl.Entry) => {
        cleanup();
        resolve(e);
      };
      const onEnd = () => {
        cleanup();
        resolve(null);
      };
      const onError = (err: Error) => {
        cleanup();
        reject(pathError(err, archiveName) ?? invalidZip(archiveName, err));
      };
      const cleanup = () => {
        zip.off('entry', onEntry);
        zip.off('end', onEnd);
        zip.off('error', onError);
      };
      zip.on('entry', onEntry);
      zip.on('end', onEnd);
      zip.on('error', onError);
      zip.readEntry();
    });
    if (!entry) return;
    yield entry;
  }
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, archiveName: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) reject(invalidZip(archiveName, err, entry.fileName));
      else resolve(stream);
    });
  });
}

function pathError(err: Error, archiveName: string): AppError | undefined {
  if (!/invalid relative path|absolute path|invalid characters in fileName/i.test(err.message)) return undefined;
  return new AppError('zip_path_escape', `${archiveName} holds an entry whose path leaves the archive (${err.message})`, {
    file: archiveName,
    expected: 'relative paths inside the archive, without ".." or a leading "/"',
  });
}

function invalidZip(archiveName: string, err: Error | null | undefined, entry?: string): AppError {
  return new AppError('zip_invalid', `${archiveName} is not a readable zip archive: ${err?.message ?? 'unknown error'}`, {
    file: archiveName,
    ...(entry ? { field: entry } : {}),
    expected: 'a zip archive (e.g. a cTrader Backtesting or Optimization folder)',
  });
}
