/**
 * Numbers as cTrader exports them: thousands grouped with a space or a no-break space (`10 104.73`,
 * U+00A0 or U+202F), unit text after quantities (`0.6 Lots`, `10000 Units`, or just `Indices`),
 * currency signs or codes around money (`$12.50`, `-12.50 EUR`), `−` (U+2212) as minus, and
 * accounting brackets `(12.50)` for negatives.
 *
 * Comma decimals: cTrader groups thousands with spaces, never commas, so a single comma is read as the
 * decimal separator of a comma-decimal locale (`10 104,73` → 10104.73). When a value holds both `.`
 * and `,`, the one that comes last is the decimal separator (`1,234.56` and `1.234,56`). Several commas
 * and no point are thousands groups only when every group has three digits (`1,234,567`).
 */

export const NUMBER_EXPECTED = 'a number such as 1234.56, -12.5 or 10 104.73';
export const QUANTITY_EXPECTED = 'a quantity such as 0.6 Lots or 10000 Units';

const GROUP_SEPARATORS = /[ \u00a0\u202f\u2009']/;
const CURRENCY_AROUND = /^(?:[$€£¥₹₽₩฿₺]|[A-Z]{3}\s)?(.*?)(?:\s?[$€£¥₹₽₩฿₺]|\s[A-Z]{3})?$/;

/**
 * A number cell. `null` when the cell is empty or a dash (the source carries no value); `undefined`
 * when the text is there but is not a number.
 */
export function parseCtraderNumber(text: string): number | null | undefined {
  if (isPlainDecimal(text)) return Number(text);
  const grouped = parseGroupedDecimal(text);
  if (grouped !== undefined) return grouped;
  let s = text.trim();
  if (s === '' || s === '-' || s === '\u2014' || s === '\u2013') return null;

  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-') || s.startsWith('\u2212')) {
    negative = !negative;
    s = s.slice(1).trim();
  }
  s = (CURRENCY_AROUND.exec(s)?.[1] ?? s).trim();
  // A sign may also stand after the currency sign ("$-12.50"), but only one sign in all.
  if (s.startsWith('-') || s.startsWith('\u2212')) {
    if (negative) return undefined;
    negative = true;
    s = s.slice(1);
  }
  const unsigned = parseUnsigned(s);
  if (unsigned === undefined) return undefined;
  return negative ? -unsigned : unsigned;
}

export interface QuantityCell {
  /** The number, or null when the cell holds only a unit word (`Indices`) or nothing. */
  value: number | null;
  /** The unit text that followed the number (`Lots`, `Units`, `Indices`), as written. */
  unit: string | null;
}

/** A quantity or volume cell with optional unit text; `undefined` when the text is not a quantity. */
export function parseQuantity(text: string): QuantityCell | undefined {
  if (isPlainDecimal(text)) return { value: Number(text), unit: null };
  const space = text.lastIndexOf(' ');
  if (space === -1 && isLetters(text, 0)) return { value: null, unit: text };
  if (space > 0 && isLetters(text, space + 1)) {
    const numberText = text.slice(0, space);
    if (isPlainDecimal(numberText)) return { value: Number(numberText), unit: text.slice(space + 1) };
  }
  const s = text.trim();
  const m = /^(.*?)\s*([A-Za-z][A-Za-z .]*)$/.exec(s);
  if (!m) {
    const value = parseCtraderNumber(s);
    return value === undefined ? undefined : { value, unit: null };
  }
  const unit = (m[2] ?? '').trim();
  const numberText = m[1] ?? '';
  if (numberText === '') return { value: null, unit };
  const value = parseCtraderNumber(numberText);
  return value === undefined || value === null ? undefined : { value, unit };
}

/** Whether a unit word means lots (cTrader's Quantity) rather than units of the asset (its Volume). */
export function isLotUnit(unit: string): boolean {
  if (unit === 'Lots' || unit === 'Lot') return true;
  const lower = unit.toLowerCase();
  return lower === 'lots' || lower === 'lot';
}

function isLetters(text: string, from: number): boolean {
  if (from >= text.length) return false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c < 97 || c > 122) return false;
  }
  return true;
}

function isGroupSpace(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 0x202f || c === 0x2009;
}

/** `-?d{1,3}( d{3})+(.d+)?` with a space-like thousands separator, checked by char codes. */
function parseGroupedDecimal(text: string): number | undefined {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  let group = 0;
  let separators = 0;
  let digits = text.slice(0, i);
  let segmentStart = i;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) group++;
    else if (isGroupSpace(c)) {
      if (group === 0 || (separators > 0 ? group !== 3 : group > 3)) return undefined;
      digits += text.slice(segmentStart, i);
      segmentStart = i + 1;
      separators++;
      group = 0;
    } else if (c === 46) break;
    else return undefined;
  }
  if (separators === 0 || group !== 3) return undefined;
  if (i < n) {
    if (i === n - 1) return undefined;
    for (let k = i + 1; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c < 48 || c > 57) return undefined;
    }
  }
  return Number(digits + text.slice(segmentStart));
}

/** `-?digits(.digits)?` checked by char codes: the common case costs no regex and no allocation. */
function isPlainDecimal(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 20) return false;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  let digitsBefore = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57) return false;
    digitsBefore++;
  }
  if (digitsBefore === 0) return false;
  if (i === n) return true;
  if (i === n - 1) return false;
  for (i++; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function parseUnsigned(s: string): number | undefined {
  if (s === '') return undefined;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let integer = s;
  let fraction = '';
  let groupChar: string | undefined;
  if (lastDot !== -1 && lastComma !== -1) {
    const decimalAt = Math.max(lastDot, lastComma);
    integer = s.slice(0, decimalAt);
    fraction = s.slice(decimalAt + 1);
    groupChar = lastDot > lastComma ? ',' : '.';
  } else if (lastComma !== -1) {
    if (s.indexOf(',') === lastComma) {
      integer = s.slice(0, lastComma);
      fraction = s.slice(lastComma + 1);
    } else {
      groupChar = ',';
    }
  } else if (lastDot !== -1) {
    integer = s.slice(0, lastDot);
    fraction = s.slice(lastDot + 1);
  }
  const digitsOnly = ungroup(integer, groupChar);
  if (digitsOnly === undefined || !/^\d*$/.test(fraction) || (digitsOnly === '' && fraction === '')) return undefined;
  const value = Number(`${digitsOnly || '0'}.${fraction || '0'}`);
  return Number.isFinite(value) ? value : undefined;
}

/** Removes thousands separators, accepting them only between groups of three digits. */
function ungroup(integer: string, groupChar: string | undefined): string | undefined {
  if (/^\d*$/.test(integer)) return integer;
  const groups = integer.split(groupChar !== undefined && integer.includes(groupChar) ? groupChar : GROUP_SEPARATORS);
  const [first, ...rest] = groups;
  if (first === undefined || !/^\d{1,3}$/.test(first) || rest.length === 0) return undefined;
  for (const g of rest) if (!/^\d{3}$/.test(g)) return undefined;
  return groups.join('');
}
