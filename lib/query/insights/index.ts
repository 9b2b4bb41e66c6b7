import type { Store } from '../../ports/store.js';
import type { BacktestInfo } from '../execute.js';
import { excursionInsights, type ExcursionRow } from './excursions.js';
import { featureInsights, type FeatureResult } from './features.js';
import { stopLossInsights, type CloseReasonStat } from './stop-loss.js';
import { streakInsights, type StreakSummary } from './streaks.js';
import type { Finding } from './types.js';
import { windowInsights, type WindowSummary } from './windows.js';

export type { Finding } from './types.js';

/** Top findings without a question: windows, streaks, stop-loss exits, excursions, separating features. */
export interface Insights {
  backtestId: string;
  name: string;
  trades: number;
  findings: Finding[];
  windows: WindowSummary[];
  streaks: StreakSummary;
  closeReasons: CloseReasonStat[];
  excursions: ExcursionRow[];
  features: FeatureResult;
  notes: string[];
}

export async function computeInsights(store: Store, bt: BacktestInfo): Promise<Insights> {
  const windows = await windowInsights(store, bt);
  const streaks = await streakInsights(store, bt);
  const stops = await stopLossInsights(store, bt);
  const excursions = await excursionInsights(store, bt);
  const features = await featureInsights(store, bt);
  const notes = [stops.note, excursions.note].filter((n): n is string => n !== null);
  if (features.result.sampled < features.result.of) notes.push(`feature importance was fitted on ${features.result.sampled} of ${features.result.of} trades, taken evenly through the backtest`);
  // Most actionable first: the worst windows, then what separates winners, then exits, streaks.
  const findings = [...windows.findings, ...features.findings, ...stops.findings, ...excursions.findings, ...streaks.findings];
  return {
    backtestId: bt.id,
    name: bt.name,
    trades: bt.tradeCount,
    findings,
    windows: windows.summaries,
    streaks: streaks.summary,
    closeReasons: stops.reasons,
    excursions: excursions.rows,
    features: features.result,
    notes,
  };
}
