import type { CloseReason, Direction, SourcedTrade, StopChange } from '../domain/trade.js';
import { AppError } from '../runtime/errors.js';
import { parseDirection } from './direction.js';
import { JsonValueStream, type JsonValue } from './json-stream.js';
import { roundMoney } from './money.js';
import { utf8Chunks } from './text-input.js';
import type { ByteSource, ReadOptions, SourceContext, StopHistory, TradeFileReader } from './types.js';

/**
 * cTrader's backtest events.json: one array of events, each naming its position; positions are rebuilt
 * by grouping on positionId (events of concurrent positions interleave). The file carries no symbol,
 * no commissions and no swaps, and `balance` only on closing events, so:
 * - net is the change of balance since the previous close (any position), rounded to deposit digits;
 * - gross is `grossProfit`; commission and swap are null (not itemised, not zero);
 * - what the balance moved beyond grossProfit is kept as `metadata.unattributed` (net − gross);
 * - the starting balance is the `equity` of the first event.
 * "Position closed" (a close that is neither a stop, a target nor a stop-out) maps to 'signal': in a
 * backtest no person acts, so it is the cBot's own ClosePosition. The event name stays in metadata.
 */

const CLOSE_REASONS: Record<string, CloseReason> = {
  'stop loss hit': 'stop_loss',
  'take profit hit': 'take_profit',
  'trailing stop hit': 'trailing_stop',
  'trailing stop loss hit': 'trailing_stop',
  'stop out': 'stop_out',
  'stopped out': 'stop_out',
  'position stopped out': 'stop_out',
  'position closed': 'signal',
};

/** Keys every event has; anything else a closing event carries goes to the trade's metadata as is. */
const KNOWN_KEYS = new Set([
  'serial',
  'orderId',
  'positionId',
  'event',
  'time',
  'volume',
  'quantity',
  'type',
  'entryPrice',
  'tp',
  'sl',
  'closePrice',
  'grossProfit',
  'pips',
  'balance',
  'equity',
]);

const DEFAULT_BATCH = 10_000;
const DEFAULT_DEPOSIT_DIGITS = 2;

type EventRecord = Record<string, unknown>;

interface Position {
  id: string;
  open?: EventRecord;
  openRow?: number;
  openLine?: number;
  stops: StopChange[];
  otherEvents: EventRecord[];
  partials: number;
}

export function readEventsJson(source: ByteSource, opts: ReadOptions): TradeFileReader {
  const context: SourceContext = { format: 'ctrader-events-json' };
  return { context, batches: () => eventBatches(source, opts, context) };
}

/**
 * Stop/target histories of trades read from events.json, to enrich the same trades read from another
 * file. Pass `into` to fold batch after batch without holding every trade.
 */
export function stopHistoryOf(trades: Iterable<SourcedTrade>, into: StopHistory = new Map()): StopHistory {
  for (const t of trades) if (t.stops && t.stops.length) into.set(t.sourceId, t.stops);
  return into;
}

async function* eventBatches(source: ByteSource, opts: ReadOptions, context: SourceContext): AsyncGenerator<SourcedTrade[]> {
  const symbol = opts.symbol;
  if (!symbol) {
    throw new AppError('invalid_input', `${opts.file} names no symbol: pass --symbol or include the backtest's report`, {
      file: opts.file,
      field: 'symbol',
      expected: 'a symbol from --symbol or from a report in the same upload',
      found: 'none',
    });
  }
  const digits = opts.depositDigits ?? DEFAULT_DEPOSIT_DIGITS;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  context.symbol = symbol;
  context.depositDigits = digits;

  const stream = new JsonValueStream(utf8Chunks(source, { file: opts.file }), { file: opts.file, paths: ['$.*'], streamedParents: ['$'] });
  const open = new Map<string, Position>();
  const eventCounts: Record<string, number> = {};
  let balance: number | undefined;
  let firstTime: number | undefined;
  let lastTime: number | undefined;
  let out: SourcedTrade[] = [];

  const issue = (severity: 'reject' | 'warning', code: string, v: JsonValue, message: string, extra: Partial<{ field: string; expected: string; found: string; tradeId: string }> = {}) => {
    const line = v.line;
    opts.issues.add({ severity, code, message: `${opts.file} line ${line} (event ${Number(v.key) + 1}): ${message}`, file: opts.file, line, row: Number(v.key) + 1, ...extra });
  };

  for await (const values of stream.values()) {
    for (const v of values) {
      if (typeof v.key !== 'number') throw notAnArray(opts.file, v.line);
      const row = Number(v.key) + 1;
      const ev = v.value;
      if (!isRecord(ev)) {
        issue('reject', 'invalid_value', v, 'is not an event object', { field: `[${row - 1}]`, expected: 'an object with positionId, event and time', found: describe(ev) });
        continue;
      }
      const name = typeof ev.event === 'string' ? ev.event.trim() : '';
      const positionId = typeof ev.positionId === 'number' || (typeof ev.positionId === 'string' && ev.positionId !== '') ? String(ev.positionId) : '';
      const time = ev.time;
      if (!name || !positionId || typeof time !== 'number' || !Number.isInteger(time)) {
        const field = !name ? 'event' : !positionId ? 'positionId' : 'time';
        const expected = field === 'time' ? 'milliseconds since 1970 (an integer)' : field === 'event' ? 'an event name' : 'a position id';
        issue('reject', 'invalid_value', v, `has no usable ${field}`, { field: `[${row - 1}].${field}`, expected, found: describe(ev[field]) });
        continue;
      }
      eventCounts[name] = (eventCounts[name] ?? 0) + 1;
      firstTime ??= time;
      lastTime = time;

      const lower = name.toLowerCase();
      const hasBalance = typeof ev.balance === 'number';
      const isClose = hasBalance || lower in CLOSE_REASONS;
      if (balance === undefined && context.startingBalance === undefined && !isClose && typeof (ev.equity ?? ev.balance) === 'number') {
        balance = roundMoney((ev.equity ?? ev.balance) as number, digits);
        context.startingBalance = balance;
      }

      let position = open.get(positionId);
      if (lower === 'create position' || lower === 'position opened') {
        if (position?.open) {
          issue('warning', 'duplicate_open', v, `position ${positionId} is opened twice; the first opening is kept`, { field: 'event', tradeId: positionId });
          continue;
        }
        position ??= newPosition(positionId);
        position.open = ev;
        position.openRow = row;
        // Lines can only be looked up while the event's chunk is current, so the opening's is kept now.
        position.openLine = v.line;
        if (ev.sl != null || ev.tp != null) position.stops.push(stopOf(ev, time));
        open.set(positionId, position);
        continue;
      }

      if (!position) {
        issue('warning', 'missing_open', v, `position ${positionId} has no "Create Position" event before "${name}"; its entry is unknown`, { field: 'positionId', tradeId: positionId });
        position = newPosition(positionId);
        open.set(positionId, position);
      }

      if (lower.startsWith('position modified')) {
        position.stops.push(stopOf(ev, time));
        continue;
      }

      if (!isClose) {
        issue('warning', 'unknown_event', v, `unknown event "${name}" on position ${positionId}; kept in the trade's metadata`, { field: 'event', found: name, tradeId: positionId });
        position.otherEvents.push(ev);
        continue;
      }

      const partial = /partial/i.test(name);
      if (!(lower in CLOSE_REASONS) && !partial) {
        issue('warning', 'unknown_event', v, `unknown closing event "${name}" on position ${positionId}; close reason recorded as unknown`, { field: 'event', found: name, tradeId: positionId });
      }
      const direction = parseDirection(String(position.open?.type ?? ev.type ?? ''));
      if (!direction) {
        issue('reject', 'invalid_value', v, `position ${positionId} has no Buy/Sell type`, { field: `[${row - 1}].type`, expected: 'Buy or Sell', found: describe(position.open?.type ?? ev.type), tradeId: positionId });
        if (!partial) open.delete(positionId);
        continue;
      }

      const gross = typeof ev.grossProfit === 'number' ? roundMoney(ev.grossProfit, digits) : null;
      let net: number;
      const metadata: Record<string, unknown> = {};
      if (hasBalance && balance !== undefined) {
        net = roundMoney((ev.balance as number) - balance, digits);
      } else if (gross !== null) {
        net = gross;
        metadata.netSource = 'grossProfit';
        issue('warning', 'net_from_gross', v, `no balance before this close of position ${positionId}; net taken from grossProfit`, { field: 'balance', tradeId: positionId });
      } else {
        issue('reject', 'invalid_value', v, `close of position ${positionId} has neither balance nor grossProfit`, { field: `[${row - 1}].balance`, expected: 'a number', found: describe(ev.balance), tradeId: positionId });
        if (!partial) open.delete(positionId);
        continue;
      }
      if (hasBalance) balance = roundMoney(ev.balance as number, digits);
      // A close without a balance still moved it: carry it forward so the next close's delta is its own.
      else if (balance !== undefined) balance = roundMoney(balance + net, digits);

      const trade = toTrade(ev, position, { name, lower, partial, positionId, time, row, net, gross, direction, balanceAfter: hasBalance ? (balance ?? null) : null, symbol, file: opts.file, digits, metadata });
      if (partial) position.partials++;
      else open.delete(positionId);
      out.push(trade);
      if (out.length >= batchSize) {
        yield out;
        out = [];
      }
    }
  }
  for (const position of open.values()) {
    opts.issues.add({
      severity: 'warning',
      code: 'position_not_closed',
      message: `${opts.file}: position ${position.id} (event ${position.openRow ?? '?'}) is never closed; it is not a trade`,
      file: opts.file,
      line: position.openLine,
      row: position.openRow,
      field: 'positionId',
      expected: 'a closing event',
      found: 'end of file',
      tradeId: position.id,
    });
  }
  if (balance !== undefined) context.declaredTotals = { endingBalance: balance };
  if (firstTime !== undefined && lastTime !== undefined) context.period = { start: firstTime, end: lastTime };
  context.extra = { eventCounts };
  if (out.length) yield out;
}

interface CloseFacts {
  name: string;
  lower: string;
  partial: boolean;
  positionId: string;
  time: number;
  row: number;
  net: number;
  gross: number | null;
  direction: Direction;
  balanceAfter: number | null;
  symbol: string;
  file: string;
  digits: number;
  metadata: Record<string, unknown>;
}

function toTrade(ev: EventRecord, position: Position, f: CloseFacts): SourcedTrade {
  const opening = position.open;
  const metadata = f.metadata;
  metadata.event = f.name;
  if (ev.serial !== undefined) metadata.serial = ev.serial;
  if (opening?.serial !== undefined) metadata.openSerial = opening.serial;
  if (ev.orderId != null) metadata.orderId = ev.orderId;
  // The file's `volume` repeats the lots, not units of the asset, so it is kept rather than mapped.
  if (ev.volume !== undefined) metadata.volume = ev.volume;
  if (typeof ev.equity === 'number') metadata.equity = roundMoney(ev.equity, f.digits);
  if (ev.sl !== undefined) metadata.sl = ev.sl;
  if (ev.tp !== undefined) metadata.tp = ev.tp;
  if (f.gross !== null) metadata.unattributed = roundMoney(f.net - f.gross, f.digits);
  for (const [key, value] of Object.entries(ev)) if (!KNOWN_KEYS.has(key) && !(key in metadata)) metadata[key] = value;
  if (opening) for (const [key, value] of Object.entries(opening)) if (!KNOWN_KEYS.has(key) && !(key in metadata)) metadata[key] = value;
  if (position.otherEvents.length) metadata.otherEvents = position.otherEvents;
  if (f.partial) metadata.partial = position.partials + 1;

  const closeReason: CloseReason = CLOSE_REASONS[f.lower] ?? (f.partial ? 'signal' : 'unknown');
  const label = typeof (ev.label ?? opening?.label) === 'string' ? String(ev.label ?? opening?.label) : null;
  return {
    sourceId: f.partial ? `${f.positionId}-partial-${position.partials + 1}` : f.positionId,
    symbol: f.symbol,
    direction: f.direction,
    quantity: positiveOrNull(ev.quantity ?? opening?.quantity),
    volume: null,
    entryTime: typeof opening?.time === 'number' ? opening.time : null,
    exitTime: f.time,
    entryPrice: positiveOrNull(opening?.entryPrice ?? ev.entryPrice),
    exitPrice: positiveOrNull(ev.closePrice),
    gross: f.gross,
    commission: null,
    swap: null,
    net: f.net,
    pips: typeof ev.pips === 'number' && Number.isFinite(ev.pips) ? ev.pips : null,
    balanceAfter: f.balanceAfter,
    label,
    closeReason,
    stops: [...position.stops],
    metadata,
    file: f.file,
    line: f.row,
  };
}

function newPosition(id: string): Position {
  return { id, stops: [], otherEvents: [], partials: 0 };
}

function stopOf(ev: EventRecord, time: number): StopChange {
  return { time, stopLoss: finiteOrNull(ev.sl), takeProfit: finiteOrNull(ev.tp) };
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function positiveOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

function isRecord(value: unknown): value is EventRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function notAnArray(file: string, line: number): AppError {
  return new AppError('invalid_input', `${file} is not a cTrader events.json: its top level is not an array of events`, {
    file,
    line,
    expected: 'a JSON array of events',
    found: 'another JSON value',
  });
}
