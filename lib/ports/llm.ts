/** A language model that writes text. Optional: with none configured, answers are composed from facts. */
export interface Llm {
  /** e.g. `ollama:llama3.1:8b`. */
  readonly model: string;
  /** With `json`, the reply must be a single JSON document (the caller still validates it). */
  complete(prompt: { system: string; user: string; json?: boolean }, signal?: AbortSignal): Promise<string>;
}
