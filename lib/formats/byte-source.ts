import type { ByteSource } from './types.js';

const encoder = new TextEncoder();

/**
 * An in-memory ByteSource, cut into chunks so that readers meet the same chunk boundaries they meet on
 * real streams (a multi-byte character or a CRLF split in two). Used for small uploads and by tests.
 */
export async function* byteSourceFrom(data: string | Uint8Array, chunkSize = 64 * 1024): ByteSource {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const size = Math.max(1, Math.floor(chunkSize));
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

/** Collects the first `limit` bytes of a source, for sniffing a format without reading the whole file. */
export async function headOf(source: ByteSource, limit = 64 * 1024): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    const part = chunk.subarray(0, limit - total);
    parts.push(part);
    total += part.length;
    if (total >= limit) break;
  }
  const head = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    head.set(p, at);
    at += p.length;
  }
  return head;
}
