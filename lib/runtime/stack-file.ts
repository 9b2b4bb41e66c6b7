import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * stack.yml is the single list of functions: the local runner, the Pulumi program and the docs read
 * it. It is an OpenFaaS stack file, so `faas-cli` reads it too.
 */
const FunctionEntry = z.object({
  lang: z.string(),
  handler: z.string(),
  image: z.string(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  secrets: z.array(z.string()).default([]),
  annotations: z.record(z.string(), z.string()).default({}),
  labels: z.record(z.string(), z.string()).default({}),
  limits: z.object({ memory: z.string().optional(), cpu: z.string().optional() }).optional(),
  requests: z.object({ memory: z.string().optional(), cpu: z.string().optional() }).optional(),
});

const StackFile = z.object({
  version: z.union([z.string(), z.number()]),
  provider: z.object({ name: z.literal('openfaas'), gateway: z.string() }),
  functions: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'function names are lower-case words joined by -'), FunctionEntry),
});

export type StackFunction = z.infer<typeof FunctionEntry> & {
  name: string;
  /** The pipeline stage whose messages trigger this function (from the `topic` annotation). */
  topic: string | undefined;
  /** Absolute path of the handler module. */
  modulePath: string;
  /** The watchdog's `exec_timeout`: how long a call may run; a caller waiting on it must wait as long. */
  execTimeoutMs: number;
};

/** of-watchdog's default when a function sets no exec_timeout. */
const DEFAULT_EXEC_TIMEOUT_MS = 10_000;

/** A Go duration as of-watchdog reads it: `30m`, `90s`, `1m30s`, `500ms`, `1h`. */
export function parseDurationMs(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  return parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]!]!, 0);
}

export interface Stack {
  gateway: string;
  functions: StackFunction[];
}

export const STACK_FILE = fileURLToPath(new URL('../../stack.yml', import.meta.url));

export async function readStack(file = STACK_FILE): Promise<Stack> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = StackFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${file}: ${i.path.join('.')}: ${i.message}`);
  }
  const root = path.dirname(file);
  return {
    gateway: parsed.data.provider.gateway,
    functions: Object.entries(parsed.data.functions).map(([name, f]) => {
      const topic = f.annotations.topic;
      if (topic !== undefined && topic !== `pipeline.${name}`) {
        throw new Error(`${file}: functions.${name}.annotations.topic must be pipeline.${name} (one subject per stage)`);
      }
      const exec = f.environment.exec_timeout;
      const execTimeoutMs = exec === undefined ? DEFAULT_EXEC_TIMEOUT_MS : parseDurationMs(String(exec));
      if (execTimeoutMs === undefined) throw new Error(`${file}: functions.${name}.environment.exec_timeout: "${exec}" is not a duration such as 30s or 10m`);
      return { ...f, name, topic: topic === undefined ? undefined : name, modulePath: path.resolve(root, f.handler, 'handler.js'), execTimeoutMs };
    }),
  };
}
