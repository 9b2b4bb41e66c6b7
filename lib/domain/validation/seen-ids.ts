/**
 * Remembers which trade ids were seen, in little memory: cTrader ids are small integers, kept one bit
 * each (6 million ids: 750 KB instead of ~500 MB of strings); other ids fall back to a map. The line
 * of the first use is kept only for the fallback, so a duplicate integer id is reported without it.
 */
export class SeenIds {
  private bits = new Uint8Array(1 << 16);
  private readonly others = new Map<string, number>();
  private static readonly MAX_BIT_ID = 2 ** 31;

  /** Records the id; returns undefined the first time, otherwise the first line (or 0 when unknown). */
  see(id: string, line: number): number | undefined {
    const n = integerId(id);
    if (n !== undefined && n < SeenIds.MAX_BIT_ID) {
      const byte = n >>> 3;
      if (byte >= this.bits.length) this.grow(byte);
      const mask = 1 << (n & 7);
      if (this.bits[byte]! & mask) return 0;
      this.bits[byte]! |= mask;
      return undefined;
    }
    const first = this.others.get(id);
    if (first !== undefined) return first;
    this.others.set(id, line);
    return undefined;
  }

  private grow(byte: number): void {
    let size = this.bits.length;
    while (size <= byte) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bits);
    this.bits = next;
  }
}

/** A canonical decimal integer ("42", not "042" or "4.2e1"), so different texts never share a bit. */
function integerId(id: string): number | undefined {
  const len = id.length;
  if (len === 0 || len > 10) return undefined;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9 || (i === 0 && c === 0 && len > 1)) return undefined;
    n = n * 10 + c;
  }
  return n;
}
