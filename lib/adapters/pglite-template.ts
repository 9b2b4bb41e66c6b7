import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migratedPgliteTemplate } from './pglite-store.js';
import { readMigrations } from './sql/migrate.js';

/**
 * A migrated, empty embedded database, made once (by `npm install`, see scripts/prepare.ts) so a
 * first start loads it in about half a second instead of running initdb for two and a half. It is
 * named after the migrations it holds, so a changed schema never loads a stale template.
 */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../node_modules/.cache/trading-ai/', import.meta.url));

export async function templateFile(dir = TEMPLATE_DIR): Promise<string> {
  const hash = createHash('sha256');
  for (const m of await readMigrations()) hash.update(m.version).update('\0').update(m.sql);
  return path.join(dir, `pglite-${hash.digest('hex').slice(0, 16)}.tar.gz`);
}

/** The template for the current migrations, when one has been made. */
export async function readTemplate(dir = TEMPLATE_DIR): Promise<Blob | undefined> {
  const file = await templateFile(dir);
  return existsSync(file) ? new Blob([await readFile(file)]) : undefined;
}

export async function writeTemplate(dir = TEMPLATE_DIR): Promise<string> {
  const file = await templateFile(dir);
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, Buffer.from(await (await migratedPgliteTemplate('gzip')).arrayBuffer()));
  await rename(temp, file);
  return file;
}
