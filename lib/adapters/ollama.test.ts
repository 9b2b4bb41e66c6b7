import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../runtime/errors.js';
import { OllamaEmbedder } from './ollama-embedder.js';
import { OllamaLlm } from './ollama-llm.js';

/**
 * Our Ollama adapters against a small fake server: what they send, how they batch, and what they say
 * when the server or the model is missing. (The real server is exercised by tests/contract when
 * OLLAMA_HOST is set.)
 */
interface Seen {
  path: string;
  body: any;
}

const MODELS = new Set(['nomic-embed-text', 'llama3.1:8b']);
const DIM = 8;

let server: Server;
let host: string;
let seen: Seen[] = [];
let failNext: { status: number; error: string } | undefined;
let delayMs = 0;

function fakeVector(text: string): number[] {
  // Unnormalised on purpose: the adapter must normalise.
  return Array.from({ length: DIM }, (_, i) => ((text.charCodeAt(i % Math.max(1, text.length)) || 1) % 7) + i + 1);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const body = raw ? JSON.parse(raw) : undefined;
  seen.push({ path: req.url ?? '', body });
  if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  const reply = (status: number, json: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  };
  if (failNext) {
    const f = failNext;
    failNext = undefined;
    return reply(f.status, { error: f.error });
  }
  if (!MODELS.has(body?.model)) return reply(404, { error: `model "${body?.model}" not found, try pulling it first` });
  if (req.url === '/api/embed') return reply(200, { model: body.model, embeddings: (body.input as string[]).map(fakeVector) });
  if (req.url === '/api/show') return reply(200, { modelfile: '', details: {} });
  if (req.url === '/api/chat') {
    const user = body.messages.find((m: any) => m.role === 'user').content;
    return reply(200, { model: body.model, message: { role: 'assistant', content: body.format === 'json' ? JSON.stringify({ echo: user }) : `echo: ${user}` }, done: true });
  }
  reply(404, { error: 'not found' });
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen = [];
  failNext = undefined;
  delayMs = 0;
});

const errorOf = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a rejection');
};

describe('Ollama embedder', () => {
  it('learns the dimension from a probe at connect and names the model', async () => {
    const e = await OllamaEmbedder.connect(host, 'nomic-embed-text');
    expect(e.dimension).toBe(DIM);
    expect(e.model).toBe('ollama:nomic-embed-text');
    expect(seen).toEqual([{ path: '/api/embed', body: { model: 'nomic-embed-text', input: ['dimension probe'], truncate: true } }]);
  });

  it('splits a large batch into requests of batchSize texts, in order, and normalises each vector', async () => {
    const e = await OllamaEmbedder.connect(host, 'nomic-embed-text', { batchSize: 2 });
    seen = [];
    const texts = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    const vs = await e.embed(texts);
    expect(seen.map((s) => s.body.input)).toEqual([['alpha', 'bravo'], ['charlie', 'delta'], ['echo']]);
    expect(vs).toHaveLength(5);
    for (let i = 0; i < texts.length; i++) {
      const raw = fakeVector(texts[i]!);
      const n = Math.hypot(...raw);
      expect(Array.from(vs[i]!)).toEqual(raw.map((x) => Math.fround(x / n)));
    }
  });

  it('says how to fix a missing model: the host, the model and `ollama pull`', async () => {
    const err = await errorOf(OllamaEmbedder.connect(host, 'mxbai-embed-large'));
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('unavailable');
    expect(err.message).toBe(`ollama at ${host} has no model mxbai-embed-large; run \`ollama pull mxbai-embed-large\` (or set OLLAMA_HOST to a server that has it)`);
    expect(err.details).toMatchObject({ retryable: false, setting: 'OLLAMA_HOST' });
  });

  it('names OLLAMA_HOST when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadHost = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    const err = await errorOf(OllamaEmbedder.connect(deadHost, 'nomic-embed-text'));
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(new RegExp(`^cannot reach ollama at ${deadHost} \\(OLLAMA_HOST\\) to embed with nomic-embed-text: ECONNREFUSED`));
  });

  it('reports a server error as unavailable (retryable), with the server’s words', async () => {
    const e = await OllamaEmbedder.connect(host, 'nomic-embed-text');
    failNext = { status: 500, error: 'out of memory' };
    const err = await errorOf(e.embed(['x']));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('HTTP 500: out of memory');
    expect(err.details?.retryable).toBeUndefined();
  });

  it('stops waiting when the call is aborted', async () => {
    const e = await OllamaEmbedder.connect(host, 'nomic-embed-text');
    delayMs = 2_000;
    const abort = new AbortController();
    const pending = e.embed(['slow'], abort.signal);
    setTimeout(() => abort.abort(), 50);
    const started = Date.now();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('Ollama language model', () => {
  it('checks the model exists at connect', async () => {
    const llm = await OllamaLlm.connect(host, 'llama3.1:8b');
    expect(llm.model).toBe('ollama:llama3.1:8b');
    expect(seen).toEqual([{ path: '/api/show', body: { model: 'llama3.1:8b' } }]);
    const err = await errorOf(OllamaLlm.connect(host, 'mistral'));
    expect(err.message).toBe(`ollama at ${host} has no model mistral; run \`ollama pull mistral\` (or set OLLAMA_HOST to a server that has it)`);
  });

  it('sends the system and user messages, unstreamed, and returns the reply text', async () => {
    const llm = await OllamaLlm.connect(host, 'llama3.1:8b');
    seen = [];
    expect(await llm.complete({ system: 'be brief', user: 'why?' })).toBe('echo: why?');
    expect(seen[0]).toEqual({
      path: '/api/chat',
      body: {
        model: 'llama3.1:8b',
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'why?' },
        ],
        stream: false,
        options: { temperature: 0 },
      },
    });
  });

  it("asks for format 'json' when the caller wants JSON", async () => {
    const llm = await OllamaLlm.connect(host, 'llama3.1:8b');
    seen = [];
    expect(JSON.parse(await llm.complete({ system: 's', user: 'u', json: true }))).toEqual({ echo: 'u' });
    expect(seen[0]!.body.format).toBe('json');
  });
});
