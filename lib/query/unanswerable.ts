/**
 * Questions the trades cannot answer, recognised before any planning, and what can be asked instead.
 * An honest "cannot be answered from this data" beats a confident number about something the data
 * does not hold.
 */

export interface Unanswerable {
  topic: 'news' | 'future' | 'other_data' | 'missing_field' | 'not_a_question';
  reason: string;
}

const NEWS = ['news', 'nfp', 'non-farm', 'nonfarm', 'fomc', 'fed', 'cpi', 'earnings', 'headline', 'headlines', 'announcement', 'announcements', 'election', 'geopolitical', 'sentiment', 'tweet', 'tweets'];
const NEWS_PHRASES = ['economic calendar', 'economic data', 'economic event', 'economic events', 'interest rate', 'interest rates', 'central bank', 'rate decision'];
const FUTURE = ['tomorrow', 'predict', 'prediction', 'predictions', 'forecast', 'forecasts', 'future', 'upcoming'];
const FUTURE_PHRASES = ['next week', 'next month', 'next year', 'next day', 'next quarter', 'next session', 'going to', 'will be', 'will go', 'will rise', 'will fall', 'will happen', 'will it', 'will eurusd', 'will the'];
const OTHER_DATA_PHRASES = [
  'other account', 'other accounts', 'another account', 'all accounts', 'my other', 'other backtest', 'other backtests',
  'another backtest', 'all backtests', 'every backtest', 'other traders', 'other trader', 'someone else', 'other users', 'show backtest',
  'switch backtest', 'switch to backtest', 'different backtest', 'other broker', 'another broker',
];
const MISSING_FIELDS: [string[], string][] = [
  [['spread', 'spreads'], 'spreads are not recorded per trade'],
  [['slippage'], 'slippage is not recorded per trade'],
  [['margin', 'leverage'], 'margin and leverage are not recorded per trade'],
  [['sharpe', 'sortino'], 'risk-adjusted ratios come from the equity curve; see the backtest summary metrics'],
  [['mae', 'mfe', 'excursion', 'excursions'], 'excursions need prices during the trade; `insights` estimates them from stop history'],
];
const INJECTION = [/\bdrop\s+table\b/i, /\bdelete\s+from\b/i, /\bselect\s+.+\s+from\b/i, /;\s*--/, /\bsystem prompt\b/i, /\bignore (?:the|all|any|previous|your) (?:filters?|instructions?|rules?)\b/i, /\binsert\s+into\b/i, /\bunion\s+select\b/i];

export const ASKABLE = [
  'totals: "how many trades?", "net profit in 2025", "gross profit and gross loss"',
  'rates: "win rate on EURUSD", "profit factor of shorts", "average trade", "expectancy"',
  'windows: "best hour", "worst weekday", "net by session", "monthly net", "which days should I avoid?"',
  'comparisons: "long vs short", "win rate by symbol", "net by lot size", "net by holding time"',
  'filters: "EURUSD shorts after 21:00 UTC in 2025", "Fridays in March", "last month"',
  'extremes and risk: "largest loss", "max drawdown and when", "longest losing streak", "average duration"',
  'neighbours: "trades like #1234"',
];

function hasPhrase(words: string[], phrase: string): boolean {
  const p = phrase.split(' ');
  for (let i = 0; i + p.length <= words.length; i++) if (p.every((w, j) => words[i + j] === w)) return true;
  return false;
}

/** What makes a question unanswerable regardless of the data; undefined when nothing does. */
export function unanswerableTopic(question: string, words: string[]): Unanswerable | undefined {
  if (NEWS.some((w) => words.includes(w)) || NEWS_PHRASES.some((p) => hasPhrase(words, p))) {
    return { topic: 'news', reason: 'the data holds trades only, no news or economic events, so it cannot tell how news affected them' };
  }
  if (FUTURE.some((w) => words.includes(w)) || FUTURE_PHRASES.some((p) => hasPhrase(words, p))) {
    return { topic: 'future', reason: 'the data is history; it cannot tell future prices or future results' };
  }
  if (OTHER_DATA_PHRASES.some((p) => hasPhrase(words, p))) {
    return { topic: 'other_data', reason: 'a question is answered from the selected backtest only; choose another backtest with --backtest <id>' };
  }
  for (const [fieldWords, reason] of MISSING_FIELDS) if (fieldWords.some((w) => words.includes(w))) return { topic: 'missing_field', reason };
  if (INJECTION.some((re) => re.test(question))) {
    return { topic: 'not_a_question', reason: 'that is not a question about these trades; questions are never run as commands or SQL' };
  }
  return undefined;
}
