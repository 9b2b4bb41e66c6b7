import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from '../../lib/domain/random.js';

/**
 * Writes a cTrader "History" tab CSV: 16 columns, local times in the header's UTC+n zone, the
 * currency symbol in the header, no-break-space thousands, unit text in Quantity. Trades follow
 * patterns a trader would want found: Friday entries and late-evening EURUSD shorts do badly,
 * the London/New York overlap does well.
 */
export interface HistoryCsvOptions {
  trades: number;
  seed?: number;
  utcOffsetHours?: number;
  startingBalance?: number;
  start?: number;
  botLabel?: string;
}

interface Instrument {
  symbol: string;
  price: number;
  pip: number;
  digits: number;
  /** Deposit currency per pip per lot. */
  pipValue: number;
  lotUnits: number;
  lots: number[];
}

const INSTRUMENTS: Instrument[] = [
  { symbol: 'EURUSD', price: 1.085, pip: 0.0001, digits: 5, pipValue: 9.2, lotUnits: 100_000, lots: [0.1, 0.2, 0.5, 1] },
  { symbol: 'GBPUSD', price: 1.27, pip: 0.0001, digits: 5, pipValue: 9.2, lotUnits: 100_000, lots: [0.1, 0.3, 0.5] },
  { symbol: 'US30', price: 39_000, pip: 1, digits: 1, pipValue: 0.92, lotUnits: 1, lots: [0.5, 1, 2] },
  { symbol: 'XAUUSD', price: 2_300, pip: 0.01, digits: 2, pipValue: 0.92, lotUnits: 100, lots: [0.1, 0.2] },
];

const NBSP = '\u00a0';
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatCtraderTime(utcMs: number, offsetHours: number): string {
  const d = new Date(utcMs + offsetHours * 3_600_000);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function groupThousands(value: number, digits: number): string {
  const [int, frac] = Math.abs(value).toFixed(digits).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return `${value < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

const cents = (v: number) => Math.round(v * 100) / 100;

export async function writeHistoryCsv(file: string, o: HistoryCsvOptions): Promise<{ trades: number; endingBalance: number }> {
  const random = seededRandom(o.seed ?? 7);
  const offset = o.utcOffsetHours ?? 2;
  const zone = `UTC${offset >= 0 ? '+' : ''}${offset}`;
  const out = createWriteStream(file);
  out.write(
    `"Label","Entry time (${zone})","Symbol","Quantity","Volume","Type","Entry price","Broker commission","Swaps","Closing price","Closing time (${zone})","Net €","Pips","Gross €","Balance €","ID"\n`,
  );
  let balance = o.startingBalance ?? 10_000;
  let t = o.start ?? Date.UTC(2025, 0, 2, 7);
  // Spread the trades over about a year, whatever their number.
  const meanGapMs = Math.max(60_000, ((5 / 7) * 365 * 86_400_000) / o.trades);
  const prices = INSTRUMENTS.map((i) => i.price);
  let buffer = '';
  for (let id = 1; id <= o.trades; id++) {
    t += Math.round(meanGapMs * (0.2 + 1.6 * random()));
    let entry = new Date(t);
    while (entry.getUTCDay() === 0 || entry.getUTCDay() === 6) entry = new Date((t += 86_400_000));
    const k = Math.floor(random() * INSTRUMENTS.length);
    const inst = INSTRUMENTS[k]!;
    prices[k] = prices[k]! * (1 + (random() - 0.5) * 0.004);
    const price = prices[k]!;
    const sell = random() < 0.5;
    const hour = entry.getUTCHours();
    const weekday = entry.getUTCDay();
    let winChance = 0.56;
    if (weekday === 5) winChance = 0.36;
    if (hour >= 13 && hour < 17) winChance += 0.08;
    if (inst.symbol === 'EURUSD' && sell && hour >= 21) winChance = 0.25;
    const win = random() < winChance;
    const pips = cents((win ? 1 : -1) * (5 + random() * 40) * (inst.symbol === 'US30' ? 4 : 1));
    const lots = inst.lots[Math.floor(random() * inst.lots.length)]!;
    const volume = lots * inst.lotUnits;
    const durationMs = Math.round(60_000 * (5 + random() * (win ? 240 : 600)));
    const exit = t + durationMs;
    const gross = cents(pips * inst.pipValue * lots);
    const commission = -cents(((volume * price) / 1_000_000) * 30 * 2 * (inst.lotUnits === 100_000 ? 1 : 0.01) + 0.01);
    const overnight = Math.floor(exit / 86_400_000) - Math.floor(t / 86_400_000);
    const swap = overnight > 0 ? -cents(overnight * lots * 0.8) : 0;
    const net = cents(gross + commission + swap);
    balance = cents(balance + net);
    const move = (pips * inst.pip) * (sell ? -1 : 1);
    const close = price + move;
    buffer +=
      `"${o.botLabel ?? 'TrendBot'}","${formatCtraderTime(t, offset)}","${inst.symbol}","${lots} Lots","${groupThousands(volume, Number.isInteger(volume) ? 0 : 2)}",` +
      `"${sell ? 'Sell' : 'Buy'}","${price.toFixed(inst.digits)}","${commission.toFixed(2)}","${swap.toFixed(2)}","${close.toFixed(inst.digits)}",` +
      `"${formatCtraderTime(exit, offset)}","${net.toFixed(2)}","${pips.toFixed(1)}","${gross.toFixed(2)}","${groupThousands(balance, 2)}","${id}"\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return { trades: o.trades, endingBalance: balance };
}

// `node --import tsx scripts/generators/history-csv.ts <trades> <out.csv> [seed]`
if (import.meta.url === `file://${process.argv[1]}`) {
  const [trades, file, seed] = process.argv.slice(2);
  if (!trades || !file) {
    process.stderr.write('usage: history-csv.ts <trades> <out.csv> [seed]\n');
    process.exit(2);
  }
  const r = await writeHistoryCsv(file, { trades: Number(trades), seed: seed ? Number(seed) : 7 });
  process.stdout.write(`${r.trades} trades written to ${file}, ending balance ${r.endingBalance}\n`);
}
