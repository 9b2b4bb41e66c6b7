import { AppError } from '../../runtime/errors.js';
import type { BarColumns } from '../types.js';

/** Staged bars between parse and validate: magic "TAB1" | u32 frame length | u32 bar count | 6 Float64 columns. */
const MAGIC = 0x31424154;
/** "TAL1": a label frame, skipped when reading; it makes a unit's staged bytes its own. */
const LABEL_MAGIC = 0x314c4154;
const PREFIX = 16;
const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

export function encodeBarFrame(b: BarColumns): Uint8Array {
  const total = PREFIX + COLUMNS.length * b.length * 8;
  const frame = new Uint8Array(total);
  const view = new DataView(frame.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, total, true);
  view.setUint32(8, b.length, true);
  COLUMNS.forEach((k, i) => frame.set(new Uint8Array(b[k].buffer, b[k].byteOffset, b.length * 8), PREFIX + i * b.length * 8));
  return frame;
}

export function encodeBarLabel(label: string): Uint8Array {
  const text = Buffer.from(label, 'utf8');
  const frame = new Uint8Array(PREFIX + text.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, LABEL_MAGIC, true);
  view.setUint32(4, frame.length, true);
  view.setUint32(8, text.length, true);
  frame.set(text, PREFIX);
  return frame;
}

export async function* decodeBarFrames(source: AsyncIterable<Uint8Array>, file = 'staged bars'): AsyncGenerator<BarColumns> {
  let buffer = new Uint8Array(0);
  for await (const chunk of source) {
    const next = new Uint8Array(buffer.length + chunk.length);
    next.set(buffer);
    next.set(chunk, buffer.length);
    buffer = next;
    while (buffer.length >= PREFIX) {
      const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const magic = view.getUint32(0, true);
      if (magic !== MAGIC && magic !== LABEL_MAGIC) throw new AppError('unprocessable', 'staged bars are not in the expected frame format', { file });
      const total = view.getUint32(4, true);
      if (buffer.length < total) break;
      if (magic === LABEL_MAGIC) {
        buffer = buffer.subarray(total);
        continue;
      }
      const n = view.getUint32(8, true);
      // slice() copies into an aligned buffer for the Float64 views.
      const frame = buffer.slice(0, total);
      const col = (i: number) => new Float64Array(frame.buffer, PREFIX + i * n * 8, n);
      yield { length: n, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
      buffer = buffer.subarray(total);
    }
  }
  if (buffer.length !== 0) throw new AppError('unprocessable', 'staged bars end in the middle of a frame', { file });
}
