/** Turns texts into unit-length vectors of a fixed dimension. */
export interface Embedder {
  /** e.g. `local-hash-v1` or `ollama:nomic-embed-text`; stored with every vector so models never mix. */
  readonly model: string;
  readonly dimension: number;
  /** One vector per text, in order; each has `dimension` entries and Euclidean length 1. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
