/**
 * JSON has no Infinity: JSON.stringify writes it as null, which would read back as "not defined" and
 * turn a perfect profit factor into a missing one. Metrics are serialised with the strings
 * "Infinity" and "-Infinity" instead, and read back with the reviver.
 */
export function metricsJsonReplacer(_key: string, value: unknown): unknown {
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

export function metricsJsonReviver(_key: string, value: unknown): unknown {
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}

export function metricsToJson(metrics: object): string {
  return JSON.stringify(metrics, metricsJsonReplacer);
}
