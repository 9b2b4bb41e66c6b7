import type { Llm } from '../ports/llm.js';
import { AppError } from '../runtime/errors.js';
import { missingModelError, ollamaClient, ollamaError } from './ollama-client.js';

export interface OllamaLlmOptions {
  timeoutMs?: number;
  /** 0 by default: the same question over the same facts gets the same answer. */
  temperature?: number;
}

/** A chat model on an Ollama server (`llama3.1:8b` by default); `json` asks Ollama for `format: 'json'`. */
export class OllamaLlm implements Llm {
  readonly model: string;
  private readonly timeoutMs: number;
  private readonly temperature: number;

  private constructor(
    private readonly host: string,
    private readonly ollamaModel: string,
    options: OllamaLlmOptions,
  ) {
    this.model = `ollama:${ollamaModel}`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.temperature = options.temperature ?? 0;
  }

  /** Checks the server has the model (`/api/show`), so a missing one fails at start with the fix. */
  static async connect(host: string, model: string, options: OllamaLlmOptions = {}): Promise<OllamaLlm> {
    try {
      await ollamaClient({ host, timeoutMs: 30_000 }).show({ model });
    } catch (err) {
      const e = ollamaError(err, host, model, 'describe the model');
      // /api/show answers 404 for a model it does not have, whatever the wording.
      if ((err as { status_code?: number }).status_code === 404) throw missingModelError(host, model);
      throw e;
    }
    return new OllamaLlm(host, model, options);
  }

  async complete(prompt: { system: string; user: string; json?: boolean }, signal?: AbortSignal): Promise<string> {
    let content: unknown;
    try {
      const res = await ollamaClient({ host: this.host, timeoutMs: this.timeoutMs, signal }).chat({
        model: this.ollamaModel,
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        stream: false,
        ...(prompt.json ? { format: 'json' } : {}),
        options: { temperature: this.temperature },
      });
      content = res.message?.content;
    } catch (err) {
      throw ollamaError(err, this.host, this.ollamaModel, 'answer', signal);
    }
    if (typeof content !== 'string') throw new AppError('unavailable', `ollama at ${this.host} answered /api/chat without a message`);
    return content;
  }
}
