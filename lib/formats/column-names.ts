import { utcOffsetFromHeader } from './ctrader-datetime.js';

/**
 * A column header split into what it names and what it declares. cTrader puts the time zone and the
 * deposit currency into headers (`Closing time (UTC+1)`, `Net €`, `Gross USD`), and users reorder,
 * rename-case and hide columns, so columns are matched on a normalised key, never by position.
 */
export interface ColumnName {
  original: string;
  /** Lower case, single spaces, zone and currency removed: `Closing time (UTC+1)` → `closing time`. */
  key: string;
  utcOffsetMinutes?: number;
  /** ISO code of the currency the header names. */
  currency?: string;
}

const CURRENCY_SIGNS: Record<string, string> = {
  '€': 'EUR',
  $: 'USD',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  '₽': 'RUB',
  '₩': 'KRW',
  '₺': 'TRY',
  '฿': 'THB',
  '₿': 'BTC',
};

/** Deposit currencies brokers offer; a trailing code outside this list is part of the name, not a currency. */
const CURRENCY_CODES = new Set(
  'USD EUR GBP JPY CHF AUD CAD NZD SGD HKD PLN CZK HUF SEK NOK DKK ZAR TRY MXN CNY CNH INR RUB BRL ILS AED SAR THB KRW USDT USC EUC BTC ETH'.split(
    ' ',
  ),
);

export function describeColumn(header: string): ColumnName {
  const original = header.replace(/^\uFEFF/, '').trim();
  let rest = original;
  const column: ColumnName = { original, key: '' };

  const offset = utcOffsetFromHeader(rest);
  if (offset !== undefined) {
    column.utcOffsetMinutes = offset;
    rest = rest.replace(/\(?\s*(?:UTC|GMT)(?:\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?)?\s*\)?/i, ' ');
  }

  const sign = /[€$£¥₹₽₩₺฿₿]/.exec(rest);
  if (sign) {
    column.currency = CURRENCY_SIGNS[sign[0]];
    rest = rest.replace(/\(?\s*[€$£¥₹₽₩₺฿₿]\s*\)?/, ' ');
  } else {
    const code = /[\s(]([A-Z]{3,4})\)?\s*$/.exec(rest);
    if (code?.[1] && CURRENCY_CODES.has(code[1])) {
      column.currency = code[1];
      rest = rest.slice(0, code.index);
    }
  }

  column.key = rest
    .toLowerCase()
    .replace(/[_\-.:/]+/g, ' ')
    .replace(/[()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return column;
}
