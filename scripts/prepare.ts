import { writeTemplate } from '../lib/adapters/pglite-template.js';

/**
 * Runs on `npm install` (the package's `prepare` script): makes the migrated empty embedded database
 * that a first `npm start` loads instead of running initdb. Failing here must not fail the install:
 * the platform then runs initdb on its first start, as it would without this.
 */
try {
  const file = await writeTemplate();
  process.stderr.write(`trading-ai: embedded database template ready (${file})\n`);
} catch (err) {
  process.stderr.write(`trading-ai: no embedded database template (${(err as Error).message}); the first start will create the database\n`);
}
