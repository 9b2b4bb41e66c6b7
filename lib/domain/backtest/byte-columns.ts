/**
 * Element-wise OR / AND of 0/1 byte columns, four bytes at a time through 32-bit views: combining
 * signals runs once per condition per candidate over every bar, and byte-by-byte it cost more than
 * computing the crossings themselves.
 */
export function orInto(target: Uint8Array, source: Uint8Array): void {
  combine(target, source, true);
}

export function andInto(target: Uint8Array, source: Uint8Array): void {
  combine(target, source, false);
}

function combine(target: Uint8Array, source: Uint8Array, or: boolean): void {
  const n = target.length;
  let i = 0;
  if (target.byteOffset % 4 === 0 && source.byteOffset % 4 === 0) {
    const words = n >>> 2;
    const t = new Uint32Array(target.buffer, target.byteOffset, words);
    const s = new Uint32Array(source.buffer, source.byteOffset, words);
    if (or) for (let w = 0; w < words; w++) t[w]! |= s[w]!;
    else for (let w = 0; w < words; w++) t[w]! &= s[w]!;
    i = words * 4;
  }
  if (or) for (; i < n; i++) target[i]! |= source[i]!;
  else for (; i < n; i++) target[i]! &= source[i]!;
}
