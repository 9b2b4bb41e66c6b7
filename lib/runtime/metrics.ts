import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The platform's Prometheus metrics; one registry per process, exposed on `/metrics`. */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly invocations: Counter<'function' | 'status'>;
  readonly duration: Histogram<'function'>;
  readonly errors: Counter<'function' | 'code'>;
  readonly queueDepth: Gauge<'stage'>;

  constructor(options: { defaultMetrics?: boolean; queueDepth?: (stage: string) => Promise<number>; stages?: string[] } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.invocations = new Counter({
      name: 'trading_ai_function_invocations_total',
      help: 'Function calls by function and HTTP status',
      labelNames: ['function', 'status'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'trading_ai_function_duration_seconds',
      help: 'Function call duration',
      labelNames: ['function'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: 'trading_ai_function_errors_total',
      help: 'Function errors by error code',
      labelNames: ['function', 'code'],
      registers: [this.registry],
    });
    const { queueDepth, stages = [] } = options;
    this.queueDepth = new Gauge({
      name: 'trading_ai_queue_depth',
      help: 'Messages waiting per pipeline stage',
      labelNames: ['stage'],
      registers: [this.registry],
      // Read at scrape time, so the number is never stale.
      async collect() {
        if (!queueDepth) return;
        // NaN, not 0: an unreadable depth (bus down) must not look like an empty queue to a scaler.
        for (const stage of stages) this.set({ stage }, await queueDepth(stage).catch(() => NaN));
      },
    });
  }

  /** Count of calls of one function so far (for `/system/functions`). */
  async invocationCount(fn: string): Promise<number> {
    const m = await this.invocations.get();
    return m.values.filter((v) => v.labels.function === fn).reduce((s, v) => s + v.value, 0);
  }
}
