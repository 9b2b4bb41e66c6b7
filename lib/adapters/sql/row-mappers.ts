import { closeReasonCode, directionCode, emptyTradeColumns, type TradeColumns } from '../../domain/trade-columns.js';
import type { BacktestRecord, BarDatasetRecord, JobRecord, JobStatus, UploadRecord, UploadStatus } from '../../ports/store.js';
import { toIso, toJson, toMillis, toNumber } from './rows.js';

/** Rows as the drivers return them, turned into the store's records. */
export type Row = Record<string, unknown>;

export function uploadFrom(r: Row): UploadRecord {
  return {
    sha256: String(r.sha256),
    name: String(r.name),
    sizeBytes: Number(r.size_bytes),
    format: (r.format as string | null) ?? null,
    status: r.status as UploadStatus,
    error: toJson(r.error),
    firstSeenAt: toIso(r.first_seen_at)!,
    updatedAt: toIso(r.updated_at)!,
  };
}

export function backtestFrom(r: Row): BacktestRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    sourceKind: String(r.source_kind),
    accountCurrency: (r.account_currency as string | null) ?? null,
    startingBalance: toNumber(r.starting_balance),
    periodStart: toMillis(r.period_start),
    periodEnd: toMillis(r.period_end),
    symbols: (r.symbols as string[] | null) ?? [],
    timeframe: (r.timeframe as string | null) ?? null,
    parameters: (toJson(r.parameters) as Record<string, unknown>) ?? {},
    costModel: toJson(r.cost_model),
    summary: toJson(r.summary),
    issues: toJson(r.issues),
    context: toJson(r.context),
    tradeCount: Number(r.trade_count),
    createdAt: toIso(r.created_at)!,
  };
}

export function barDatasetFrom(r: Row): BarDatasetRecord {
  return {
    id: String(r.id),
    sha256: String(r.sha256),
    name: String(r.name),
    symbol: (r.symbol as string | null) ?? null,
    timeframe: (r.timeframe as string | null) ?? null,
    layout: String(r.layout),
    barCount: Number(r.bar_count),
    firstTime: toMillis(r.first_time),
    lastTime: toMillis(r.last_time),
    createdAt: toIso(r.created_at)!,
  };
}

export function jobFrom(r: Row): JobRecord {
  return {
    id: String(r.id),
    kind: String(r.kind),
    status: r.status as JobStatus,
    stage: (r.stage as string | null) ?? null,
    progress: {
      done: Number(r.progress_done),
      total: toNumber(r.progress_total),
      unit: (r.progress_unit as string | null) ?? null,
    },
    request: toJson(r.request),
    result: toJson(r.result),
    error: toJson(r.error),
    callId: (r.call_id as string | null) ?? null,
    createdAt: toIso(r.created_at)!,
    updatedAt: toIso(r.updated_at)!,
    finishedAt: toIso(r.finished_at),
  };
}


export function tradeColumnsFrom(rows: Row[]): TradeColumns {
  const c = emptyTradeColumns(rows.length, rows.length > 0 ? String(rows[0]!.source_file ?? '') : '');
  const n = (v: unknown) => toNumber(v) ?? NaN;
  const t = (v: unknown) => toMillis(v) ?? NaN;
  rows.forEach((r, i) => {
    c.line[i] = n(r.source_line);
    c.sourceId[i] = String(r.source_id);
    c.symbol[i] = String(r.symbol);
    c.direction[i] = directionCode(String(r.direction)) ?? 0;
    c.quantity[i] = n(r.quantity);
    c.volume[i] = n(r.volume);
    c.entryTime[i] = t(r.entry_time);
    c.exitTime[i] = t(r.exit_time);
    c.entryPrice[i] = n(r.entry_price);
    c.exitPrice[i] = n(r.exit_price);
    c.gross[i] = n(r.gross);
    c.commission[i] = n(r.commission);
    c.swap[i] = n(r.swap);
    c.net[i] = n(r.net);
    c.pips[i] = n(r.pips);
    c.balanceAfter[i] = n(r.balance_after);
    c.label[i] = (r.label as string | null) ?? null;
    c.closeReason[i] = closeReasonCode(String(r.close_reason));
    c.stops[i] = r.stops === null || r.stops === undefined ? null : JSON.stringify(toJson(r.stops));
    c.metadata[i] = r.metadata === null || r.metadata === undefined ? null : JSON.stringify(toJson(r.metadata));
  });
  return c;
}
