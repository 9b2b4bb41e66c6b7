#!/usr/bin/env node
// The `trading-ai` command runs the TypeScript sources through tsx, so there is no build step
// between `npm install` and use. Containers run the compiled functions instead (templates/node20-ts).
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
