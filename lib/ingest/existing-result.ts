import type { IngestUnit } from '../domain/ingest/plan.js';
import type { IngestSummary } from '../domain/ingest/summary.js';
import { NO_ISSUES, type IssueReport } from '../domain/issues.js';
import type { Store } from '../ports/store.js';
import type { UnitResult } from './unit-result.js';

/** The stored result of a unit already loaded, or undefined. */
export async function existingResult(store: Store, unit: IngestUnit): Promise<UnitResult | undefined> {
  if (unit.kind === 'backtest') {
    const bt = await store.getBacktest(unit.id);
    if (!bt) return undefined;
    return { kind: 'backtest', backtestId: bt.id, name: bt.name, existing: true, summary: bt.summary as IngestSummary, issues: bt.issues as IssueReport };
  }
  if (unit.kind === 'bars') {
    const ds = await store.getBarDataset(unit.id);
    if (!ds) return undefined;
    return {
      kind: 'bars',
      datasetId: ds.id,
      name: ds.name,
      existing: true,
      bars: ds.barCount,
      first: ds.firstTime === null ? null : new Date(ds.firstTime).toISOString(),
      last: ds.lastTime === null ? null : new Date(ds.lastTime).toISOString(),
      symbol: ds.symbol,
      timeframe: ds.timeframe,
      layout: ds.layout,
      issues: NO_ISSUES,
    };
  }
  const ps = await store.getParameterSet(unit.id);
  if (!ps) return undefined;
  return { kind: 'parameters', parameterSetId: ps.id, name: ps.name, existing: true, parameterKind: ps.kind, parameters: ps.parameters };
}
