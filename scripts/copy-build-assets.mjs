// tsc compiles TypeScript only; the SQL migrations travel beside the compiled store code.
import { cpSync } from 'node:fs';

cpSync('lib/adapters/sql/migrations', 'dist/lib/adapters/sql/migrations', { recursive: true });
