/**
 * Splits a question into typed tokens. Nothing here interprets meaning; the plan parser does. Times
 * ("21:00", "9pm"), dates ("2025-03-14"), zones ("UTC+2"), trade ids ("#1234"), numbers and words are
 * recognised so the rules can match them by kind.
 */

export type Token =
  | { kind: 'word'; text: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'time'; minutes: number; text: string }
  | { kind: 'date'; iso: string; text: string }
  | { kind: 'zone'; zone: string; text: string }
  | { kind: 'id'; id: string; text: string }
  | { kind: 'percent'; text: string }
  | { kind: 'punct'; text: string };

const MAX_QUESTION_CHARS = 1_000;

/** Spellings folded before splitting: currency pairs with a slash, "p&l", "win%". */
function normalise(question: string): string {
  return question
    .slice(0, MAX_QUESTION_CHARS)
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u2013\u2014]/g, ' - ')
    .replace(/\b([A-Za-z]{3})\/([A-Za-z]{3})\b/g, '$1$2')
    .replace(/\bp\s*&\s*l\b/gi, 'pnl')
    .replace(/\bp\/l\b/gi, 'pnl')
    .replace(/%/g, ' % ');
}

const PATTERNS: [RegExp, (m: RegExpExecArray) => Token][] = [
  // Zones first, so "UTC+2" is not read as a word and a number.
  [/^(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?(?![\d:])/i, (m) => ({ kind: 'zone', zone: `UTC${m[1]}${Number(m[2])}${m[3] && m[3] !== '00' ? `:${m[3]}` : ''}`, text: m[0] })],
  [/^(?:utc|gmt)\b/i, (m) => ({ kind: 'zone', zone: 'UTC', text: m[0] })],
  [/^(\d{4})-(\d{2})-(\d{2})\b/, (m) => ({ kind: 'date', iso: `${m[1]}-${m[2]}-${m[3]}`, text: m[0] })],
  [/^(\d{1,2}):(\d{2})\s*(am|pm)?(?![\d])/i, (m) => ({ kind: 'time', minutes: clockMinutes(Number(m[1]), Number(m[2]), m[3]), text: m[0] })],
  [/^(\d{1,2})\s*(am|pm)\b/i, (m) => ({ kind: 'time', minutes: clockMinutes(Number(m[1]), 0, m[2]), text: m[0] })],
  [/^#\s?([A-Za-z0-9._:-]{1,64})/, (m) => ({ kind: 'id', id: m[1]!, text: m[0] })],
  [/^\d+(?:\.\d+)?/, (m) => ({ kind: 'number', value: Number(m[0]), text: m[0] })],
  [/^%/, (m) => ({ kind: 'percent', text: m[0] })],
  [/^[A-Za-z][A-Za-z0-9_.]*(?:'[A-Za-z]+)*/, (m) => ({ kind: 'word', text: m[0].toLowerCase().replace(/'s$/, '').replace(/\.+$/, '') })],
  [/^[^\sA-Za-z0-9]/, (m) => ({ kind: 'punct', text: m[0] })],
];

function clockMinutes(h: number, m: number, ampm: string | undefined): number {
  let hours = h;
  if (ampm) {
    const pm = ampm.toLowerCase() === 'pm';
    if (hours === 12) hours = pm ? 12 : 0;
    else if (pm) hours += 12;
  }
  return Math.min(hours, 24) * 60 + Math.min(m, 59);
}

export function tokenize(question: string): Token[] {
  const text = normalise(question);
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    let matched = false;
    for (const [re, make] of PATTERNS) {
      const m = re.exec(rest);
      if (m && m[0].length > 0) {
        out.push(make(m));
        i += m[0].length;
        matched = true;
        break;
      }
    }
    if (!matched) i += 1;
  }
  return out;
}

