import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { emptyTradeColumns } from '../domain/trade-columns.js';
import { TRADE_CSV_COLUMNS, tradeCsvRecords, tradeRows } from './trade-rows.js';

function twoTrades() {
  const c = emptyTradeColumns(2, 'backtest:x');
  for (let i = 0; i < 2; i++) {
    c.line[i] = i + 1;
    c.sourceId[i] = String(i + 1);
    c.symbol[i] = 'EURUSD';
    c.direction[i] = i;
    c.quantity[i] = 0.1;
    c.volume[i] = 10_000;
    c.entryTime[i] = Date.UTC(2024, 0, 2, i);
    c.exitTime[i] = Date.UTC(2024, 0, 2, i + 1);
    c.entryPrice[i] = 1.10651;
    c.exitPrice[i] = 1.10486;
    c.gross[i] = 16.500000000001513;
    c.commission[i] = -0.663411;
    c.swap[i] = 0;
    c.net[i] = 15.836589000001513;
    c.pips[i] = Number.NaN;
    c.balanceAfter[i] = 10_015.836589000002;
    c.label[i] = i === 0 ? 'sma, "fast"' : null;
    c.closeReason[i] = 4;
    c.stops[i] = i === 0 ? JSON.stringify([{ time: 1, stopLoss: 1.1, takeProfit: null }]) : null;
    c.metadata[i] = null;
  }
  return c;
}

describe('trades for people and files', () => {
  it('gives canonical trade objects with null for what is unknown', () => {
    const [first, second] = tradeRows(twoTrades());
    expect(first).toMatchObject({ sourceId: '1', direction: 'buy', pips: null, closeReason: 'signal', stops: [{ time: 1, stopLoss: 1.1, takeProfit: null }], metadata: {} });
    expect(second).toMatchObject({ direction: 'sell', label: null, stops: null });
    expect(first).not.toHaveProperty('file');
  });

  it('writes a CSV that reads back field for field, quoting commas and quotes, without float noise', () => {
    const csv = Papa.unparse({ fields: [...TRADE_CSV_COLUMNS], data: tradeCsvRecords(tradeRows(twoTrades())) }, { newline: '\n' });
    const back = Papa.parse<Record<string, string>>(csv, { header: true });
    expect(back.errors).toEqual([]);
    expect(back.data[0]).toMatchObject({
      entryTime: '2024-01-02T00:00:00.000Z',
      gross: '16.5',
      net: '15.836589',
      balanceAfter: '10015.836589',
      pips: '',
      label: 'sma, "fast"',
      stops: '[{"time":1,"stopLoss":1.1,"takeProfit":null}]',
    });
    expect(back.data[1]).toMatchObject({ label: '', stops: '', direction: 'sell' });
  });
});
