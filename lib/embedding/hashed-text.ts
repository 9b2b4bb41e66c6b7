/**
 * Lexical features hashed into a fixed number of buckets ("the hashing trick"): word unigrams, word
 * bigrams and character 3- to 5-grams of words. Pure and deterministic: the same text always adds the
 * same values to the same buckets, on every machine, because the hash is FNV-1a over UTF-16 code units
 * followed by MurmurHash3's 32-bit finaliser (no Math.random, no per-process seed).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Seeds that keep the feature families apart: the word "loss" and the 4-gram "loss" land in different buckets. */
const SEED_WORD = 0x9e3779b1;
const SEED_NUMBER = 0x85ebca6b;
const SEED_BIGRAM = 0xc2b2ae35;
const SEED_NGRAM = 0x27d4eb2f;

export interface HashedTextWeights {
  word: number;
  number: number;
  bigram: number;
  ngram: number;
}

export const DEFAULT_WEIGHTS: HashedTextWeights = { word: 1, number: 0.5, bigram: 0.6, ngram: 0.2 };

/** Words too common in questions and chunk texts to tell anything apart. */
const STOPWORDS = new Set(
  (
    'a an and are as at be been by did do does for from had has have how i if in into is it its me my of on or ' +
    'our so than that the their them then there these they this those to was we were what when where which ' +
    'who why will with you your'
  ).split(' '),
);

/** MurmurHash3 fmix32: spreads FNV's weak low bits before the modulo. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of text[start, end), started from `seed` mixed into the offset basis. */
function fnv(text: string, start: number, end: number, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Adds ±weight to the bucket a hash picks; the sign (from the top bit) makes collisions cancel on average. */
function add(out: Float32Array, dims: number, hash: number, weight: number): void {
  const h = fmix(hash);
  out[(h & 0x7fffffff) % dims]! += h & 0x80000000 ? -weight : weight;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordChar = (c: number) => (c >= 97 && c <= 122) || isDigit(c) || (c > 127 && c !== 0x2014 && c !== 0x2013 && c !== 0x2192);
/** `.`, `,`, `:`, `-` and `/` join digits: 1.08450, 1,234.56, 14:05, 2025-03-04 stay one token. */
const isNumberJoiner = (c: number) => c === 46 || c === 44 || c === 58 || c === 45 || c === 47;

/**
 * Adds the hashed features of `lowered` (already lower-cased) into out[0, dims). Tokens are runs of
 * letters and digits; a token that starts with a digit is a number and adds only its unigram (at the
 * `number` weight); single letters and stopwords are skipped; bigrams join consecutive kept words.
 */
export function addHashedText(lowered: string, out: Float32Array, dims: number, w: HashedTextWeights = DEFAULT_WEIGHTS): void {
  const n = lowered.length;
  let previousWord = 0;
  let hasPrevious = false;
  let i = 0;
  while (i < n) {
    const c = lowered.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const start = i;
    const numeric = isDigit(c);
    i++;
    while (i < n) {
      const d = lowered.charCodeAt(i);
      if (isWordChar(d)) i++;
      else if (numeric && isNumberJoiner(d) && i + 1 < n && isDigit(lowered.charCodeAt(i + 1))) i += 2;
      else break;
    }
    const end = i;
    if (numeric) {
      add(out, dims, fnv(lowered, start, end, SEED_NUMBER), w.number);
      hasPrevious = false;
      continue;
    }
    if (end - start < 2 || (end - start <= 5 && STOPWORDS.has(lowered.slice(start, end)))) continue;
    const word = fnv(lowered, start, end, SEED_WORD);
    add(out, dims, word, w.word);
    if (hasPrevious) add(out, dims, Math.imul(previousWord ^ SEED_BIGRAM, FNV_PRIME) ^ word, w.bigram);
    previousWord = word;
    hasPrevious = true;
    addCharNgrams(lowered, start, end, out, dims, w.ngram);
  }
}

/**
 * Character 3-, 4- and 5-grams of the word with boundary marks (`<loss>`), hashed incrementally from
 * each start position, so "losing", "loss" and "lost" share "<lo" and "los".
 */
function addCharNgrams(text: string, start: number, end: number, out: Float32Array, dims: number, weight: number): void {
  const len = end - start + 2;
  const at = (k: number) => (k === 0 || k === len - 1 ? 1 : text.charCodeAt(start + k - 1)); // 1 marks a word boundary
  for (let s = 0; s + 3 <= len; s++) {
    let h = (FNV_OFFSET ^ SEED_NGRAM) >>> 0;
    for (let k = 0; k < 5 && s + k < len; k++) {
      h ^= at(s + k);
      h = Math.imul(h, FNV_PRIME);
      if (k >= 2) add(out, dims, h, weight);
    }
  }
}
