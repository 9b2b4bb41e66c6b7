import { readFile } from 'node:fs/promises';
import path from 'node:path';
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
};

export interface Stack {
  gateway: string;
  functions: StackFunction[];
}

export const STACK_FILE = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../stack.yml');

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
      return { ...f, name, topic: topic === undefined ? undefined : name, modulePath: path.resolve(root, f.handler, 'handler.js') };
    }),
  };
}
