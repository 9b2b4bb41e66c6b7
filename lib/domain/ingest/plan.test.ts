import { describe, expect, it } from 'vitest';
import { planIngest, type PlannedFile } from './plan.js';
import type { FormatId } from '../../formats/types.js';

let n = 0;
const file = (format: FormatId, group = 'upload', name = `${format}.x`): PlannedFile => ({
  sha256: (++n).toString(16).padStart(64, '0'),
  size: 10,
  name,
  path: `${group}/${name}`,
  group,
  format,
});
const opts = { onRejects: 'fail' as const };

describe('ingest plan', () => {
  it('makes a report the trade source and the events.json beside it its stop history', () => {
    const report = file('ctrader-report-json', 'Backtesting');
    const events = file('ctrader-events-json', 'Backtesting');
    const cbotset = file('ctrader-cbotset', 'Backtesting');
    const log = file('text-log', 'Backtesting');
    const units = planIngest([report, events, cbotset, log], opts);
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({ kind: 'backtest', trades: report, stops: events, parameters: cbotset, siblings: [log] });
  });

  it('prefers the JSON report when the HTML report of the same run is also there', () => {
    const json = file('ctrader-report-json', 'g');
    const html = file('ctrader-report-html', 'g');
    const units = planIngest([html, json], opts);
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({ trades: json, siblings: [html] });
  });

  it('makes an events.json without a report a backtest, with any report of the folder as a sibling', () => {
    const events = file('ctrader-events-json');
    expect(planIngest([events], opts)).toMatchObject([{ kind: 'backtest', trades: events, siblings: [] }]);
  });

  it('keeps the folders of an optimisation archive apart', () => {
    const units = planIngest(
      [1, 2, 3].flatMap((i) => [file('ctrader-report-json', `opt.zip/Optimization/${i}`), file('ctrader-cbotset', `opt.zip/Optimization/${i}`)]),
      opts,
    );
    expect(units.map((u) => u.kind)).toEqual(['backtest', 'backtest', 'backtest']);
    expect(new Set(units.map((u) => u.id)).size).toBe(3);
  });

  it('gives the same ids to the same content, and different ids when another symbol is given', () => {
    const csv = file('ctrader-history-csv');
    expect(planIngest([csv], opts)[0]!.id).toBe(planIngest([{ ...csv, name: 'renamed.csv' }], opts)[0]!.id);
    expect(planIngest([csv], { ...opts, symbol: 'EURUSD' })[0]!.id).not.toBe(planIngest([csv], opts)[0]!.id);
  });

  it('makes bar files, lone parameter files and optimisation params their own units', () => {
    const units = planIngest([file('ohlc-csv'), file('ctrader-cbotset'), file('ctrader-optimisation-params')], opts);
    expect(units.map((u) => u.kind)).toEqual(['bars', 'parameters', 'parameters']);
  });

  it('makes each trade CSV of an upload its own backtest', () => {
    const units = planIngest([file('ctrader-history-csv'), file('ctrader-account-history-csv')], opts);
    expect(units.map((u) => u.kind)).toEqual(['backtest', 'backtest']);
  });
});
