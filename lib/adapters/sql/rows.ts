/** Converters from driver values (numeric as text, timestamptz as Date) to our records. */

export const toNumber = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
};

export const toMillis = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  const ms = Date.parse(String(v));
  return Number.isNaN(ms) ? null : ms;
};

export const toIso = (v: unknown): string | null => {
  const ms = toMillis(v);
  return ms === null ? null : new Date(ms).toISOString();
};

export const toJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v ?? null);

/** Bound JSON parameters go in as text so both drivers treat them the same way. */
export const jsonParam = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
