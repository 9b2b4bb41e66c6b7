import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs one benchmark module's `run()` and prints its results as JSON (what run-all reads). A script
 * rather than `node -e`, because worker threads inherit the flags and refuse `--input-type`.
 */
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: run-module.ts <scripts/bench/x.ts>\n');
  process.exit(2);
}
const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { run(): Promise<unknown> };
process.stdout.write(JSON.stringify(await mod.run()));
