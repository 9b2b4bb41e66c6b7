#!/usr/bin/env -S node --max-semi-space-size=64
// A larger young generation: parsing a million-row export makes short-lived garbage fast (measured
// 5.2 s -> 4.8 s per million rows). `npm start` and the container pass the same flag.
// The `trading-ai` command runs the TypeScript sources through tsx, so there is no build step
// between `npm install` and use. Containers run the compiled functions instead (templates/node20-ts).
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
