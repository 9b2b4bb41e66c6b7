import { writeFile } from 'node:fs/promises';
import { syntheticBars } from '../../lib/domain/backtest/index.js';

/**
 * Writes hourly bars in the cTrader export layout (`Date Time (UTC+n),Open,High,Low,Close,Tick Volume`,
 * local times, weekends skipped): a seeded random walk, so the file is the same on every machine.
 *   node --import tsx scripts/generators/bars-csv.ts <bars> <out.csv> [seed]
 */
export async function writeCtraderBarsCsv(file: string, o: { bars: number; seed?: number; start?: number; price?: number; utcOffsetHours?: number }): Promise<number> {
  const hour = 3_600_000;
  const raw = syntheticBars(o.bars * 2, { seed: o.seed ?? 11, start: o.start ?? Date.UTC(2025, 0, 1), stepMs: hour, startPrice: o.price ?? 1.085, volatility: 0.0008 });
  const offset = o.utcOffsetHours ?? 2;
  const pad = (n: number) => String(n).padStart(2, '0');
  const lines = [`Date Time (UTC+${offset}),Open,High,Low,Close,Tick Volume`];
  for (let i = 0; i < raw.length && lines.length <= o.bars; i++) {
    const t = raw.time[i]!;
    const day = new Date(t).getUTCDay();
    // FX closes at the weekend.
    if (day === 0 || day === 6) continue;
    const local = new Date(t + offset * hour);
    const stamp = `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
    const f = (v: number) => v.toFixed(5);
    lines.push(`${stamp},${f(raw.open[i]!)},${f(raw.high[i]!)},${f(raw.low[i]!)},${f(raw.close[i]!)},${Math.round(raw.volume[i]!)}`);
  }
  await writeFile(file, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [bars, file, seed] = process.argv.slice(2);
  if (!bars || !file) {
    process.stderr.write('usage: bars-csv.ts <bars> <out.csv> [seed]\n');
    process.exit(2);
  }
  const n = await writeCtraderBarsCsv(file, { bars: Number(bars), ...(seed ? { seed: Number(seed) } : {}) });
  process.stdout.write(`${n} bars written to ${file}\n`);
}
