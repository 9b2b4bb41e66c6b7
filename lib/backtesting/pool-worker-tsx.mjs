// Entry of a backtest worker when the platform runs from TypeScript sources (the CLI, tests,
// benchmarks): a worker thread does not inherit the parent's tsx loader, so it registers its own.
// Compiled builds start dist/lib/backtesting/pool-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./pool-worker.ts');
