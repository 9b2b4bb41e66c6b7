/**
 * The table an answer rests on. Money and ratios are exact decimal strings (numeric sums read back as
 * text, never through a float); counts are numbers; times are ISO UTC strings. Prose, whether composed
 * or written by a model, may state only numbers that appear here.
 */
export type Cell = string | number | null;

export interface Facts {
  columns: string[];
  rows: Cell[][];
  /** The filters and windows the rows cover, in words (numbers in it may be quoted too). */
  scope: string;
  /** Caveats and context computed alongside the rows (small samples, approximations). */
  notes: string[];
}

export interface TradeCitation {
  id: string;
  symbol: string;
  direction: string;
  entryTime: string | null;
  exitTime: string;
  net: string;
}

export interface ChunkCitation {
  id: string;
  kind: string;
  score: number;
  tradeIds: string[];
  from: string | null;
  to: string | null;
  text: string;
}

export interface Citations {
  trades: TradeCitation[];
  dates: string[];
  chunks: ChunkCitation[];
}

export function rowObjects(f: Pick<Facts, 'columns' | 'rows'>): Record<string, Cell>[] {
  return f.rows.map((r) => Object.fromEntries(f.columns.map((c, i) => [c, r[i] ?? null])));
}

/** A numeric text with at least two decimals ("12.5" -> "12.50"); other digits are kept, never rounded. */
export function money(text: unknown): string | null {
  if (text === null || text === undefined) return null;
  const s = String(text);
  if (!/^-?\d+(\.\d+)?$/.test(s)) return s;
  const [int, frac = ''] = s.split('.');
  const normalised = `${int}.${frac.padEnd(2, '0')}`;
  return normalised === '-0.00' ? '0.00' : normalised;
}

export function isoOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const ms = v instanceof Date ? v.getTime() : Date.parse(String(v));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
