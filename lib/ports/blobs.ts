import type { Readable } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
}

/**
 * Content-addressed byte storage for raw uploads, staged parse output and generated artefacts.
 * Writing the same bytes twice stores them once.
 */
export interface Blobs {
  /**
   * Streams bytes in; the blob is visible under its SHA-256 only once fully written.
   * `limitBytes` aborts with `payload_too_large` as soon as it is crossed.
   */
  put(source: AsyncIterable<Uint8Array> | Uint8Array, options?: { limitBytes?: number }): Promise<StoredBlob>;
  /** Streams the blob, or the bytes [start, end) of it; the stream errors with `not_found` when absent. */
  get(sha256: string, range?: { start: number; end: number }): Readable;
  /** Reads the first `bytes` bytes (format sniffing). */
  head(sha256: string, bytes: number): Promise<Uint8Array>;
  has(sha256: string): Promise<boolean>;
  size(sha256: string): Promise<number>;
  delete(sha256: string): Promise<void>;
}
