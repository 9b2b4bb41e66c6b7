#!/usr/bin/env python3
"""Writes the bar fixtures that the indicator reference values are computed from.

Deterministic: a fixed seed and Python's Mersenne Twister, prices rounded to 5 decimals so the
CSV text is the exact input both implementations read. Re-running rewrites identical files.

    python3 scripts/reference/make_indicator_bars.py
    python3 scripts/reference/indicators.py

Fixtures (tests/fixtures/indicators/):
  bars-random-walk.csv  500 hourly bars of a multiplicative random walk near 1.1
  bars-flat.csv         60 identical bars: every range and every change is zero
  bars-gap.csv          80 bars with a gap up at bar 40 and a gap down at bar 60, so the true range
                        must reach back to the previous close
  bars-short.csv        the first 5 random-walk bars, shorter than every default period
  bars-backtrader-2006.csv  the first 255 daily bars of backtrader's public datas/2006-day-001.txt,
                        copied unchanged by copy_backtrader_excerpt() when the shared data is present
"""
import csv
import math
import os
import random
import sys
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..', '..', 'tests', 'fixtures', 'indicators'))
BACKTRADER_SOURCE = '/work/shared/data/peer/backtrader-2006-day-001.txt'
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def rounded(x):
    return round(x, 5)


def write_bars(name, rows):
    with open(os.path.join(OUT, name), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['time', 'open', 'high', 'low', 'close'])
        for i, (o, h, l, c) in enumerate(rows):
            t = (START + timedelta(hours=i)).strftime('%Y-%m-%dT%H:%M:%SZ')
            w.writerow([t, f'{o:.5f}', f'{h:.5f}', f'{l:.5f}', f'{c:.5f}'])


def random_walk(count, seed, start_price, step_sigma):
    rng = random.Random(seed)
    rows = []
    close = start_price
    for _ in range(count):
        o = rounded(close * math.exp(rng.gauss(0, step_sigma / 4)))
        c = rounded(o * math.exp(rng.gauss(0, step_sigma)))
        h = rounded(max(o, c) * (1 + abs(rng.gauss(0, step_sigma / 2))))
        l = rounded(min(o, c) * (1 - abs(rng.gauss(0, step_sigma / 2))))
        rows.append((o, h, l, c))
        close = c
    return rows


def with_gaps(rows):
    """Shifts every bar from 40 on up by 8 and from 60 on down by 15: two clean price gaps."""
    shifted = []
    for i, bar in enumerate(rows):
        shift = (8 if i >= 40 else 0) - (15 if i >= 60 else 0)
        shifted.append(tuple(rounded(p + shift) for p in bar))
    return shifted


def copy_backtrader_excerpt():
    if not os.path.exists(BACKTRADER_SOURCE):
        print(f'skipping the backtrader excerpt: {BACKTRADER_SOURCE} is absent', file=sys.stderr)
        return
    with open(BACKTRADER_SOURCE) as f:
        lines = f.read().splitlines()[:256]
    with open(os.path.join(OUT, 'bars-backtrader-2006.csv'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    walk = random_walk(500, seed=20240601, start_price=1.1, step_sigma=0.002)
    write_bars('bars-random-walk.csv', walk)
    write_bars('bars-flat.csv', [(1.2345, 1.2345, 1.2345, 1.2345)] * 60)
    write_bars('bars-gap.csv', with_gaps(random_walk(80, seed=7, start_price=100.0, step_sigma=0.004)))
    write_bars('bars-short.csv', walk[:5])
    copy_backtrader_excerpt()


if __name__ == '__main__':
    main()
