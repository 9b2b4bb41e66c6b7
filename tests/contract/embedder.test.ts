import { describe } from 'vitest';
import { LocalEmbedder } from '../../lib/adapters/local-embedder.js';
import { OllamaEmbedder } from '../../lib/adapters/ollama-embedder.js';
import { embedderContract } from '../../lib/ports/embedder.contract.js';

embedderContract('local hashed embedder', async () => new LocalEmbedder(), { deterministic: true });

const ollamaHost = process.env.OLLAMA_HOST;
if (ollamaHost) {
  const model = process.env.OLLAMA_EMBED_MODEL ?? 'nomic-embed-text';
  embedderContract(`Ollama embedder (${model})`, () => OllamaEmbedder.connect(ollamaHost, model), { deterministic: false });
} else {
  describe.skip('Ollama embedder (skipped: set OLLAMA_HOST, with nomic-embed-text pulled, to run against a real server)', () => {});
}
