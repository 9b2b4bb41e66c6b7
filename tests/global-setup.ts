import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedPgliteTemplate } from '../lib/adapters/pglite-store.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * initdb takes about 3 s per PGlite instance; a migrated template dumped once and loaded by each test
 * file takes about 0.4 s. The template is rebuilt every run, so it always matches the migrations.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trading-ai-test-'));
  const dump = await migratedPgliteTemplate();
  const file = path.join(dir, 'pglite-template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
