import type { Embedder } from '../ports/embedder.js';
import { AppError } from '../runtime/errors.js';
import { ollamaClient, ollamaError } from './ollama-client.js';

export interface OllamaEmbedderOptions {
  /** Texts per /api/embed request; larger batches are split and sent one after another. */
  batchSize?: number;
  timeoutMs?: number;
}

/**
 * Embeddings from an Ollama server (`nomic-embed-text` by default, 768 dimensions). `connect` embeds
 * one probe text, which learns the dimension and fails early, with the fix, when the server or the
 * model is missing. Vectors are re-normalised here, whatever the server does.
 */
export class OllamaEmbedder implements Embedder {
  readonly model: string;
  private readonly batchSize: number;
  private readonly timeoutMs: number;

  private constructor(
    private readonly host: string,
    private readonly ollamaModel: string,
    readonly dimension: number,
    options: OllamaEmbedderOptions,
  ) {
    this.model = `ollama:${ollamaModel}`;
    this.batchSize = options.batchSize ?? 64;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  static async connect(host: string, model: string, options: OllamaEmbedderOptions = {}): Promise<OllamaEmbedder> {
    const probe = new OllamaEmbedder(host, model, 0, options);
    const [v] = await probe.request(['dimension probe']);
    return new OllamaEmbedder(host, model, v!.length, options);
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const vectors = await this.request(texts.slice(i, i + this.batchSize), signal);
      for (const v of vectors) {
        if (v.length !== this.dimension) {
          throw new AppError('unavailable', `ollama model ${this.ollamaModel} returned a ${v.length}-dimension vector; it gave ${this.dimension} at start (was the model replaced?)`);
        }
        out.push(v);
      }
    }
    return out;
  }

  private async request(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    let embeddings: unknown;
    try {
      const res = await ollamaClient({ host: this.host, timeoutMs: this.timeoutMs, signal }).embed({ model: this.ollamaModel, input, truncate: true });
      embeddings = res.embeddings;
    } catch (err) {
      throw ollamaError(err, this.host, this.ollamaModel, 'embed', signal);
    }
    if (!Array.isArray(embeddings) || embeddings.length !== input.length || !embeddings.every((e) => Array.isArray(e) && e.length > 0)) {
      throw new AppError('unavailable', `ollama at ${this.host} answered /api/embed for ${input.length} text(s) with ${Array.isArray(embeddings) ? embeddings.length : 'no'} embedding(s)`);
    }
    return (embeddings as number[][]).map(unit);
  }
}

function unit(values: number[]): Float32Array {
  const v = Float32Array.from(values);
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}
