import type { BarColumns } from '../../formats/types.js';
import { CLOSE_REASONS, type CloseReason } from '../trade.js';
import type { AccountState, OpenPosition, OrderCounts } from './account.js';
import type { CompiledStrategy } from './compiled-strategy.js';
import { commissionPerSide } from './costs.js';
import { CLOSE_LONG, CLOSE_SHORT, decideOrders, OPEN_LONG, OPEN_SHORT, type OrderContext } from './orders.js';
import { longLevelHit, NO_EXIT, roundToDigits, shortLevelHit, STOP_AT_LEVEL, STOP_AT_OPEN, TARGET_AT_LEVEL } from './fills.js';
import { PositionBook, type Side } from './position-book.js';
import { unitsToTrade, type SizingContext } from './sizing.js';
import type { TradeLog } from './trade-log.js';

const reason = (name: CloseReason): number => CLOSE_REASONS.indexOf(name);
const STOP_LOSS = reason('stop_loss');
const TAKE_PROFIT = reason('take_profit');
const TRAILING_STOP = reason('trailing_stop');
const STOP_OUT = reason('stop_out');
const SIGNAL = reason('signal');
const END_OF_DATA = reason('end_of_data');

/** A stop/target distance per decision bar: `series[bar] x value`, or `value` when there is no series. */
export interface DistanceColumn {
  series: Float64Array | null;
  value: number;
}

export interface SimulationInput {
  bars: BarColumns;
  entryLong: Uint8Array | null;
  exitLong: Uint8Array | null;
  entryShort: Uint8Array | null;
  exitShort: Uint8Array | null;
  /** 1 where any signal is 1. */
  anySignal: Uint8Array;
  stopLoss: DistanceColumn | null;
  takeProfit: DistanceColumn | null;
  trailingStop: DistanceColumn | null;
  strategy: CompiledStrategy;
  startingBalance: number;
  closeAtEnd: boolean;
  /** Written with one value per bar: balance and equity after everything that happened on the bar. */
  balance: Float64Array;
  equity: Float64Array;
  log: TradeLog;
}

export interface SimulationOutcome {
  account: AccountState;
  openPositions: OpenPosition[];
  orders: OrderCounts;
  /** Equity fell to 0 or below: everything was closed (stop_out) and no entries followed. */
  stoppedOut: boolean;
}

/**
 * One pass over the bars. On each bar, in this order:
 *  1. market orders decided on the previous close fill at this open (fills: nextOpen);
 *  2. stops, targets and trailing stops are tested against this bar (fills.ts);
 *  3. the close's signals are decided, filling at this close with fills: thisClose;
 *  4. positions are marked at the close; equity <= 0 closes everything (stop_out) and ends trading;
 *  5. with nextOpen, the close's signals become orders for the next open.
 * No objects are allocated per bar: positions live in a PositionBook, trades in the TradeLog.
 */
export function simulate(input: SimulationInput): SimulationOutcome {
  return new Simulation(input).run();
}

class Simulation {
  private balance: number;
  private usedMargin = 0;
  private readonly book: PositionBook;
  /** Orders decided on the last close, for this bar's open (orders.ts bits); 0 when none. */
  private pendingOrders = 0;
  /** Reused on every decision and entry rather than allocated each time. */
  private readonly orderContext: OrderContext;
  private readonly sizingContext: SizingContext = { equity: 0, freeEquity: 0, price: 0, stopDistance: Number.NaN };
  private halted = false;
  private readonly orders: OrderCounts = { filled: 0, skipped: 0, rejected: 0 };
  private readonly spread: number;
  private readonly slippage: number;
  private readonly multiplier: number;

  constructor(private readonly input: SimulationInput) {
    this.balance = input.startingBalance;
    this.book = new PositionBook(input.strategy.maxPositions);
    this.spread = input.strategy.costs.spread;
    this.slippage = input.strategy.costs.slippage;
    this.multiplier = input.strategy.instrument.contractMultiplier;
    const { positionMode: mode, maxPositions } = input.strategy;
    this.orderContext = { mode, maxPositions, longCount: 0, shortCount: 0, entriesAllowed: true };
  }

  run(): SimulationOutcome {
    const { bars, balance: balanceOut, equity: equityOut, strategy, anySignal } = this.input;
    const { close } = bars;
    const n = bars.length;
    const fillAtNextOpen = strategy.fillAt === 'nextOpen';
    const hasLevels = this.input.stopLoss !== null || this.input.takeProfit !== null || this.input.trailingStop !== null;
    const book = this.book;
    // The book's columns never move, so the loop can hold them; marking to market is inlined because
    // it runs on every bar a position is open.
    const { side, units, entryPrice, entryCommission } = book;
    const spread = this.spread;
    const multiplier = this.multiplier;
    for (let i = 0; i < n; i++) {
      if (this.pendingOrders !== 0) this.executePending(i);
      if (hasLevels && book.count > 0) this.exitAtLevels(i);
      if (!fillAtNextOpen && anySignal[i] === 1) this.decide(i, false);
      let equity = this.balance;
      if (book.count > 0) {
        const bid = close[i]!;
        for (let k = 0; k < book.count; k++) {
          const direction = side[k]!;
          const mark = direction === 1 ? bid : bid + spread;
          equity += direction * (mark - entryPrice[k]!) * units[k]! * multiplier + entryCommission[k]!;
        }
        if (equity <= 0) {
          this.closeAll(i, bid, STOP_OUT);
          this.halted = true;
          equity = this.balance;
        }
      }
      if (fillAtNextOpen && anySignal[i] === 1 && !this.halted) this.decide(i, true);
      balanceOut[i] = this.balance;
      equityOut[i] = equity;
    }
    if (this.input.closeAtEnd && book.count > 0 && n > 0) {
      this.closeAll(n - 1, close[n - 1]!, END_OF_DATA);
      balanceOut[n - 1] = this.balance;
      equityOut[n - 1] = this.balance;
    }
    return this.outcome();
  }

  /** Turns the close's signals into closes and entries, now (thisClose) or as orders for the next open. */
  private decide(i: number, deferToNextOpen: boolean): void {
    const { entryLong, exitLong, entryShort, exitShort } = this.input;
    const context = this.orderContext;
    context.longCount = this.book.longCount;
    context.shortCount = this.book.shortCount;
    context.entriesAllowed = !this.halted;
    const orders = decideOrders(context, entryLong?.[i] === 1, exitLong?.[i] === 1, entryShort?.[i] === 1, exitShort?.[i] === 1);
    if (orders === 0) return;
    if (deferToNextOpen) this.pendingOrders = orders;
    else this.execute(i, this.input.bars.close[i]!, i, orders);
  }

  private executePending(i: number): void {
    const orders = this.pendingOrders;
    this.pendingOrders = 0;
    this.execute(i, this.input.bars.open[i]!, i - 1, orders);
  }

  /** Closes first, so that a reversal's entry is sized on the balance after the close. */
  private execute(bar: number, bid: number, decisionBar: number, orders: number): void {
    if (orders & CLOSE_LONG) this.closeSide(1, bar, bid, SIGNAL);
    if (orders & CLOSE_SHORT) this.closeSide(-1, bar, bid, SIGNAL);
    if (orders & OPEN_LONG) this.open(1, bar, bid, decisionBar);
    if (orders & OPEN_SHORT) this.open(-1, bar, bid, decisionBar);
  }

  private open(side: Side, bar: number, bid: number, decisionBar: number): void {
    const { strategy } = this.input;
    const { instrument, costs } = strategy;
    const stopDistance = distanceAt(this.input.stopLoss, decisionBar);
    const targetDistance = distanceAt(this.input.takeProfit, decisionBar);
    const trailDistance = distanceAt(this.input.trailingStop, decisionBar);
    const undefinedDistance =
      (this.input.stopLoss !== null && !(stopDistance > 0)) ||
      (this.input.takeProfit !== null && !(targetDistance > 0)) ||
      (this.input.trailingStop !== null && !(trailDistance > 0));
    if (undefinedDistance) {
      this.orders.skipped++;
      return;
    }
    const price = side === 1 ? bid + this.spread + this.slippage : bid - this.slippage;
    const initialStopDistance = this.input.stopLoss !== null ? stopDistance : trailDistance;
    const equity = this.equityAt(bid);
    const sizing = this.sizingContext;
    sizing.equity = equity;
    sizing.freeEquity = strategy.sizing.kind === 'allEquity' ? equity - this.tiedEquity() : equity;
    sizing.price = price;
    sizing.stopDistance = initialStopDistance;
    const units = unitsToTrade(strategy.sizing, sizing, instrument, costs);
    if (units <= 0) {
      this.orders.skipped++;
      return;
    }
    const commission = commissionPerSide(costs, units, price, this.multiplier);
    const margin = units * instrument.marginPerUnit;
    if (margin > 0 && margin + commission > equity - this.usedMargin) {
      this.orders.rejected++;
      return;
    }
    const book = this.book;
    const k = book.add(side);
    const stop = initialStopDistance > 0 ? roundToDigits(price - side * initialStopDistance, instrument.digits) : Number.NaN;
    book.units[k] = units;
    book.entryPrice[k] = price;
    book.entryTime[k] = this.input.bars.time[bar]!;
    book.entryBar[k] = bar;
    book.entryCommission[k] = 0 - commission; // not -commission: a free trade must not carry -0
    book.stop[k] = stop;
    book.initialStop[k] = stop;
    book.target[k] = targetDistance > 0 ? roundToDigits(price + side * targetDistance, instrument.digits) : Number.NaN;
    book.trail[k] = trailDistance;
    book.trailed[k] = 0;
    this.usedMargin += margin;
    this.orders.filled++;
  }

  /** Stops, targets and trailing stops of every open position against bar i. */
  private exitAtLevels(i: number): void {
    const { open, high, low } = this.input.bars;
    const digits = this.input.strategy.instrument.digits;
    const book = this.book;
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    let k = 0;
    while (k < book.count) {
      const side = book.side[k]!;
      const stop = book.stop[k]!;
      const target = book.target[k]!;
      if (side === 1) {
        const hit = longLevelHit(o, h, l, stop, target);
        if (hit !== NO_EXIT) {
          const price =
            hit === STOP_AT_LEVEL ? stop - this.slippage : hit === STOP_AT_OPEN ? o - this.slippage : hit === TARGET_AT_LEVEL ? target : o;
          this.closeSlot(k, i, price, this.levelReason(k, hit));
          continue;
        }
        const trail = book.trail[k]!;
        const trailed = trail > 0 ? roundToDigits(h - trail, digits) : Number.NaN;
        if (trailed > stop) {
          book.stop[k] = trailed;
          book.trailed[k] = 1;
        }
      } else {
        const askOpen = o + this.spread;
        const hit = shortLevelHit(askOpen, h + this.spread, l + this.spread, stop, target);
        if (hit !== NO_EXIT) {
          const price =
            hit === STOP_AT_LEVEL
              ? stop + this.slippage
              : hit === STOP_AT_OPEN
                ? askOpen + this.slippage
                : hit === TARGET_AT_LEVEL
                  ? target
                  : askOpen;
          this.closeSlot(k, i, price, this.levelReason(k, hit));
          continue;
        }
        const trail = book.trail[k]!;
        const trailed = trail > 0 ? roundToDigits(l + this.spread + trail, digits) : Number.NaN;
        if (trailed < stop) {
          book.stop[k] = trailed;
          book.trailed[k] = 1;
        }
      }
      k++;
    }
  }

  private levelReason(k: number, hit: number): number {
    if (hit === STOP_AT_LEVEL || hit === STOP_AT_OPEN) return this.book.trailed[k] === 1 ? TRAILING_STOP : STOP_LOSS;
    return TAKE_PROFIT;
  }

  private closeSide(side: Side, bar: number, bid: number, closeReason: number): void {
    const price = side === 1 ? bid - this.slippage : bid + this.spread + this.slippage;
    const book = this.book;
    let k = 0;
    while (k < book.count) {
      if (book.side[k] === side) this.closeSlot(k, bar, price, closeReason);
      else k++;
    }
  }

  private closeAll(bar: number, bid: number, closeReason: number): void {
    const book = this.book;
    while (book.count > 0) {
      const price = book.side[0] === 1 ? bid - this.slippage : bid + this.spread + this.slippage;
      this.closeSlot(0, bar, price, closeReason);
    }
  }

  private closeSlot(k: number, bar: number, exitPrice: number, closeReason: number): void {
    const { strategy, log, bars } = this.input;
    const book = this.book;
    const side = book.side[k]!;
    const units = book.units[k]!;
    const entryPrice = book.entryPrice[k]!;
    // Written per side rather than as side x (exit - entry), which gives -0 for a flat short.
    const move = side === 1 ? exitPrice - entryPrice : entryPrice - exitPrice;
    const gross = move * units * this.multiplier;
    const commission = book.entryCommission[k]! - commissionPerSide(strategy.costs, units, exitPrice, this.multiplier);
    const net = gross + commission;
    this.balance += net;
    this.usedMargin -= units * strategy.instrument.marginPerUnit;
    const t = log.append();
    log.direction[t] = side === 1 ? 0 : 1;
    log.units[t] = units;
    log.entryTime[t] = book.entryTime[k]!;
    log.exitTime[t] = bars.time[bar]!;
    log.entryPrice[t] = entryPrice;
    log.exitPrice[t] = exitPrice;
    log.gross[t] = gross;
    log.commission[t] = commission;
    log.net[t] = net;
    log.pips[t] = move / strategy.instrument.pipSize;
    log.balanceAfter[t] = this.balance;
    log.initialStop[t] = book.initialStop[k]!;
    log.takeProfit[t] = book.target[k]!;
    log.finalStop[t] = book.stop[k]!;
    log.entryBar[t] = book.entryBar[k]!;
    log.exitBar[t] = bar;
    log.closeReason[t] = closeReason;
    book.remove(k);
    // Subtracting fractional margins can leave a residue of 1e-13; flat means exactly no margin.
    if (book.count === 0) this.usedMargin = 0;
  }

  /** Balance plus every open position marked at `bid` (a short at the ask, bid + spread). */
  private equityAt(bid: number): number {
    const book = this.book;
    let equity = this.balance;
    for (let k = 0; k < book.count; k++) equity += this.floatingGross(k, bid) + book.entryCommission[k]!;
    return equity;
  }

  private floatingGross(k: number, bid: number): number {
    const book = this.book;
    const side = book.side[k]!;
    const mark = side === 1 ? bid : bid + this.spread;
    const move = side === 1 ? mark - book.entryPrice[k]! : book.entryPrice[k]! - mark;
    return move * book.units[k]! * this.multiplier;
  }

  /** Money the open positions lock: their margin, or their entry notional when fully funded. */
  private tiedEquity(): number {
    const book = this.book;
    const { marginPerUnit } = this.input.strategy.instrument;
    let tied = 0;
    for (let k = 0; k < book.count; k++) tied += book.units[k]! * (marginPerUnit > 0 ? marginPerUnit : book.entryPrice[k]! * this.multiplier);
    return tied;
  }

  private outcome(): SimulationOutcome {
    const { bars, strategy } = this.input;
    const book = this.book;
    const lastClose = bars.length > 0 ? bars.close[bars.length - 1]! : Number.NaN;
    const openPositions: OpenPosition[] = [];
    let marketValue = 0;
    for (let k = 0; k < book.count; k++) {
      const side = book.side[k]!;
      const markPrice = side === 1 ? lastClose : lastClose + this.spread;
      marketValue += side * book.units[k]! * markPrice * this.multiplier;
      openPositions.push({
        direction: side === 1 ? 'buy' : 'sell',
        volume: book.units[k]!,
        quantity: book.units[k]! / strategy.instrument.lotSize,
        entryTime: book.entryTime[k]!,
        entryPrice: book.entryPrice[k]!,
        markPrice,
        floatingGross: this.floatingGross(k, lastClose),
        entryCommission: book.entryCommission[k]!,
        stopLoss: Number.isNaN(book.stop[k]!) ? null : book.stop[k]!,
        takeProfit: Number.isNaN(book.target[k]!) ? null : book.target[k]!,
        margin: book.units[k]! * strategy.instrument.marginPerUnit,
      });
    }
    const equity = book.count > 0 ? this.equityAt(lastClose) : this.balance;
    const cash = strategy.instrument.marginPerUnit > 0 ? equity - this.usedMargin : equity - marketValue;
    return {
      account: { balance: this.balance, equity, usedMargin: this.usedMargin, cash },
      openPositions,
      orders: { ...this.orders },
      stoppedOut: this.halted,
    };
  }
}

function distanceAt(column: DistanceColumn | null, bar: number): number {
  if (column === null) return Number.NaN;
  return column.series === null ? column.value : column.series[bar]! * column.value;
}
