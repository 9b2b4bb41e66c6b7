import type { Facts } from './facts.js';

/**
 * The guard on model-written prose: every number it states must be one the facts hold, up to the
 * rounding the prose shows ("54 %" matches 54.23; "1,234.6" matches 1234.56). Signs are ignored
 * ("lost 1,234.56" for -1234.56). Numbers inside dates and times count too, so a made-up date fails.
 */

const NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;

export interface NumberCheck {
  ok: boolean;
  /** Numbers the prose states that no fact holds. */
  unmatched: string[];
}

export function numbersIn(text: string): { text: string; value: number; decimals: number }[] {
  const out: { text: string; value: number; decimals: number }[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const plain = m[0].replace(/,/g, '');
    out.push({ text: m[0], value: Number(plain), decimals: plain.includes('.') ? plain.split('.')[1]!.length : 0 });
  }
  return out;
}

/** Every number the facts hold: cells, scope, notes, and the row count. */
export function factNumbers(facts: Facts, extra: string[] = []): number[] {
  const texts: string[] = [facts.scope, ...facts.notes, ...facts.columns, ...extra, String(facts.rows.length)];
  for (const row of facts.rows) for (const cell of row) if (cell !== null) texts.push(String(cell));
  const values = new Set<number>();
  for (const t of texts) for (const n of numbersIn(t)) values.add(n.value);
  return [...values];
}

export function checkNumbers(prose: string, facts: Facts, extra: string[] = []): NumberCheck {
  const allowed = factNumbers(facts, extra);
  const unmatched: string[] = [];
  for (const n of numbersIn(prose)) {
    const tolerance = 0.5 * 10 ** -n.decimals + 1e-9;
    if (!allowed.some((f) => Math.abs(Math.abs(f) - n.value) <= tolerance)) unmatched.push(n.text);
  }
  return { ok: unmatched.length === 0, unmatched };
}
