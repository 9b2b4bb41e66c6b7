import { addHashedText } from '../embedding/hashed-text.js';
import { NUMERIC_SLOTS, numericCues } from '../embedding/numeric-cues.js';
import type { Embedder } from '../ports/embedder.js';

/** Share of the vector's length given to the numeric cues when a text has any (the words get the rest). */
const NUMERIC_SHARE = 0.35;

/**
 * The embedder used when no model is configured: no weights, no network. Hashed word unigrams and
 * bigrams and character n-grams fill the first `dimension - 16` slots, numeric cues (P&L, duration,
 * hour, weekday, direction, outcome) the last 16, each part scaled to a fixed share, then the whole is
 * L2-normalised. It is lexical, not semantic: "drawdown" and "losing streak" share nothing unless a
 * text uses both words. Deterministic across processes and machines.
 */
export class LocalEmbedder implements Embedder {
  readonly model: string;

  constructor(readonly dimension = 384) {
    if (!Number.isInteger(dimension) || dimension < 64) throw new Error(`local embedder dimension must be an integer >= 64 (got ${dimension})`);
    this.model = dimension === 384 ? 'local-hash-v1' : `local-hash-v1-${dimension}`;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      if ((i & 1023) === 0) signal?.throwIfAborted();
      out[i] = this.embedOne(texts[i]!);
    }
    return out;
  }

  /** Synchronous, for callers that embed in a tight loop (benchmarks, tests). */
  embedOne(text: string): Float32Array {
    const v = new Float32Array(this.dimension);
    const textDims = this.dimension - NUMERIC_SLOTS;
    const lowered = text.toLowerCase();
    addHashedText(lowered, v, textDims);
    const cues = v.subarray(textDims);
    numericCues(lowered, cues);
    const wordNorm = norm(v, 0, textDims);
    const cueNorm = norm(v, textDims, this.dimension);
    if (wordNorm === 0 && cueNorm === 0) {
      // Nothing to go on (empty text, stopwords only): one fixed slot, so the vector still has length 1.
      v[0] = 1;
      return v;
    }
    const wordScale = wordNorm === 0 ? 0 : (cueNorm === 0 ? 1 : Math.sqrt(1 - NUMERIC_SHARE ** 2)) / wordNorm;
    const cueScale = cueNorm === 0 ? 0 : (wordNorm === 0 ? 1 : NUMERIC_SHARE) / cueNorm;
    for (let i = 0; i < textDims; i++) v[i]! *= wordScale;
    for (let i = textDims; i < this.dimension; i++) v[i]! *= cueScale;
    return v;
  }
}

function norm(v: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}
