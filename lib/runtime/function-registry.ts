import { pathToFileURL } from 'node:url';
import type { FunctionDefinition } from './handler.js';
import type { StackFunction } from './stack-file.js';

export interface LoadedFunction {
  def: FunctionDefinition;
  stack: StackFunction;
}

/** Imports every function stack.yml lists; a handler that does not export a definition is a start-up error. */
export async function loadFunctions(functions: StackFunction[]): Promise<Map<string, LoadedFunction>> {
  const loaded = new Map<string, LoadedFunction>();
  for (const stack of functions) {
    const mod = (await import(pathToFileURL(stack.modulePath).href)) as { default?: FunctionDefinition };
    const def = mod.default;
    if (!def || typeof def.handle !== 'function' || def.name !== stack.name) {
      throw new Error(`${stack.modulePath} must export default defineFunction({ name: '${stack.name}', ... })`);
    }
    loaded.set(stack.name, { def, stack });
  }
  return loaded;
}
