import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { AppError } from '../runtime/errors.js';
import type { Blobs, StoredBlob } from '../ports/blobs.js';

const SHA256 = /^[0-9a-f]{64}$/;

/** Blobs as files named by their SHA-256, fanned out by the first two hex digits. */
export class FsBlobs implements Blobs {
  private constructor(private readonly root: string) {}

  static async open(root: string): Promise<FsBlobs> {
    await mkdir(path.join(root, 'incoming'), { recursive: true });
    return new FsBlobs(root);
  }

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new AppError('bad_request', `not a SHA-256 content hash: "${sha256.slice(0, 80)}"`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(source: AsyncIterable<Uint8Array> | Uint8Array, options: { limitBytes?: number } = {}): Promise<StoredBlob> {
    const temp = path.join(this.root, 'incoming', `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    const out = createWriteStream(temp);
    let size = 0;
    try {
      const chunks = source instanceof Uint8Array ? [source] : source;
      for await (const chunk of chunks) {
        size += chunk.byteLength;
        if (options.limitBytes !== undefined && size > options.limitBytes) {
          throw new AppError('payload_too_large', `upload is larger than the limit of ${options.limitBytes} bytes`, {
            expected: `at most ${options.limitBytes} bytes (MAX_UPLOAD_BYTES)`,
          });
        }
        hash.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      const sha256 = hash.digest('hex');
      const final = this.pathOf(sha256);
      await mkdir(path.dirname(final), { recursive: true });
      // Same content, same name: a concurrent identical upload simply replaces identical bytes.
      await rename(temp, final);
      return { sha256, size };
    } catch (err) {
      out.destroy();
      await rm(temp, { force: true });
      throw err;
    }
  }

  get(sha256: string, range?: { start: number; end: number }): Readable {
    const file = this.pathOf(sha256);
    async function* read(): AsyncGenerator<Uint8Array> {
      let handle;
      try {
        handle = await open(file, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not_found', `no stored blob ${sha256}`);
        throw err;
      }
      try {
        yield* handle.createReadStream({
          autoClose: false,
          highWaterMark: 1 << 20,
          ...(range ? { start: range.start, end: range.end - 1 } : {}),
        });
      } finally {
        await handle.close();
      }
    }
    return Readable.from(read(), { objectMode: false });
  }

  async head(sha256: string, bytes: number): Promise<Uint8Array> {
    let handle;
    try {
      handle = await open(this.pathOf(sha256), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not_found', `no stored blob ${sha256}`);
      throw err;
    }
    try {
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch (err) {
      // Only absence is "no": a permission or disk error must not make a stored blob look missing.
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async size(sha256: string): Promise<number> {
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch (err) {
      if (isMissing(err)) throw new AppError('not_found', `no stored blob ${sha256}`);
      throw err;
    }
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
