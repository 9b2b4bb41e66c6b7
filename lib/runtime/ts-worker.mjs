// Entry of a worker thread when the platform runs from TypeScript sources (the CLI, tests,
// benchmarks): a worker does not inherit its parent's tsx loader, so it registers its own and then
// loads the module it was started for. Compiled builds start the module's .js directly.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.tsWorkerEntry);
