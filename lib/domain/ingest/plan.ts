import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FORMAT_IDS } from '../../formats/types.js';

/** A stored file, sniffed, with the folder it came from (zips keep their folders apart). */
export const PlannedFile = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  name: z.string(),
  /** Upload name, or archive name + path inside it. */
  path: z.string(),
  /** Files in one group describe one backtest folder. */
  group: z.string(),
  format: z.enum(FORMAT_IDS),
});
export type PlannedFile = z.infer<typeof PlannedFile>;

export const IngestOptions = z.object({
  /** For sources that carry no symbol (events.json). */
  symbol: z.string().trim().min(1).max(64).optional(),
  /** A display name for the backtest. */
  name: z.string().trim().min(1).max(200).optional(),
  /** `fail` (default): any rejected row fails the ingest, nothing is loaded. `skip`: load the rest. */
  onRejects: z.enum(['fail', 'skip']).default('fail'),
});
export type IngestOptions = z.infer<typeof IngestOptions>;

export const IngestUnit = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('backtest'),
    id: z.string(),
    name: z.string(),
    trades: PlannedFile,
    /** events.json beside a report: contributes stop-loss/take-profit history, not trades. */
    stops: PlannedFile.optional(),
    /** .cbotset beside the trades: contributes parameters and possibly the symbol. */
    parameters: PlannedFile.optional(),
    /** Other files of the folder that say something about the run (report, log). */
    siblings: z.array(PlannedFile),
  }),
  z.object({ kind: z.literal('bars'), id: z.string(), name: z.string(), file: PlannedFile }),
  z.object({ kind: z.literal('parameters'), id: z.string(), name: z.string(), file: PlannedFile }),
]);
export type IngestUnit = z.infer<typeof IngestUnit>;

const REPORTS = new Set(['ctrader-report-json', 'ctrader-report-html']);
const CSV_TRADES = new Set(['ctrader-history-csv', 'ctrader-account-history-csv']);

/**
 * Decides what the files of one upload become. Each report and each trade CSV is a backtest; an
 * events.json is a backtest on its own, or the stop history of the one report beside it; a .cbotset
 * gives its folder's backtests their parameters; bar files and parameter files stand alone.
 * Ids derive from content (and the symbol given), so the same upload always plans the same ids.
 */
export function planIngest(files: PlannedFile[], options: IngestOptions): IngestUnit[] {
  const units: IngestUnit[] = [];
  for (const group of groupBy(files, (f) => f.group)) {
    const of = (pred: (f: PlannedFile) => boolean) => group.filter(pred);
    // cTrader can write the same report as JSON and HTML; the JSON one is the trade source then.
    const jsonReports = of((f) => f.format === 'ctrader-report-json');
    const reports = jsonReports.length > 0 ? jsonReports : of((f) => f.format === 'ctrader-report-html');
    const otherReports = of((f) => REPORTS.has(f.format) && !reports.includes(f));
    const events = of((f) => f.format === 'ctrader-events-json');
    const cbotsets = of((f) => f.format === 'ctrader-cbotset');
    const logs = of((f) => f.format === 'text-log');
    const parameters = cbotsets.length === 1 ? cbotsets[0] : undefined;
    const stopsForReport = reports.length === 1 && events.length === 1 ? events[0] : undefined;
    const siblings = [...otherReports, ...logs];

    const backtest = (trades: PlannedFile, extra: { stops?: PlannedFile; siblings: PlannedFile[] }): IngestUnit => ({
      kind: 'backtest',
      id: idOf('bt', trades.sha256, extra.stops?.sha256 ?? '', parameters?.sha256 ?? '', options.symbol ?? ''),
      name: options.name ?? displayName(trades),
      trades,
      ...(extra.stops ? { stops: extra.stops } : {}),
      ...(parameters ? { parameters } : {}),
      siblings: extra.siblings,
    });

    for (const report of reports) units.push(backtest(report, { ...(stopsForReport ? { stops: stopsForReport } : {}), siblings }));
    for (const e of events) {
      if (e === stopsForReport) continue;
      // An events.json has no symbol of its own: a report beside it can supply one.
      units.push(backtest(e, { siblings: [...reports, ...siblings] }));
    }
    for (const csv of of((f) => CSV_TRADES.has(f.format))) units.push(backtest(csv, { siblings }));
    for (const bars of of((f) => f.format === 'ohlc-csv')) {
      units.push({ kind: 'bars', id: idOf('bars', bars.sha256, options.symbol ?? ''), name: options.name ?? displayName(bars), file: bars });
    }
    const standaloneParameters = [...(parameters && units.some((u) => u.kind === 'backtest' && u.parameters === parameters) ? [] : cbotsets), ...of((f) => f.format === 'ctrader-optimisation-params')];
    for (const p of standaloneParameters) units.push({ kind: 'parameters', id: idOf('ps', p.sha256), name: displayName(p), file: p });
  }
  return units;
}

function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

export function idOf(prefix: string, ...parts: string[]): string {
  return `${prefix}_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24)}`;
}

function displayName(f: PlannedFile): string {
  return f.path.length <= 200 ? f.path : `…${f.path.slice(-199)}`;
}
