#!/usr/bin/env python3
"""Independent reference values for lib/domain/indicators.

Written to be obviously right rather than fast: every window is summed or scanned afresh with plain
loops over Python floats, and nothing is shared with the TypeScript code. The TypeScript unit tests
compare against the JSON this writes (tests/fixtures/indicators/expected-*.json).

    python3 scripts/reference/indicators.py

Conventions (the same ones the TypeScript module documents):
  EMA     alpha = 2 / (n + 1), seeded with the simple mean of the first n values.
  RSI     Wilder smoothing, seeded with the simple mean of the first n gains and losses;
          100 when the average loss is 0, 50 when the average gain is also 0 (a flat series).
  MACD    fast EMA - slow EMA; the signal EMA starts on the first bar where MACD is defined.
  Bollinger  SMA +/- k * population standard deviation (divide by n).
  ATR     true range, with the first bar's TR = high - low; Wilder smoothing seeded with the
          simple mean of the first n TRs.
  Stochastic raw %K = 100 (close - lowest low) / (highest high - lowest low), 50 when the range is 0;
          %K = SMA(raw %K, slowing); %D = SMA(%K, d).
Warm-up values are NaN, written as JSON null.
"""
import csv
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, '..', '..', 'tests', 'fixtures', 'indicators'))
NAN = float('nan')

BAR_FILES = [
    'bars-random-walk.csv',
    'bars-flat.csv',
    'bars-gap.csv',
    'bars-short.csv',
    'bars-backtrader-2006.csv',
]


def read_bars(path):
    with open(path, newline='') as f:
        rows = list(csv.DictReader(f))
    column = lambda name: [float(next(v for k, v in r.items() if k.lower() == name)) for r in rows]
    return {name: column(name) for name in ('open', 'high', 'low', 'close')}


def price(bars, source):
    o, h, l, c = bars['open'], bars['high'], bars['low'], bars['close']
    if source in ('open', 'high', 'low', 'close'):
        return list(bars[source])
    if source == 'median':
        return [(h[i] + l[i]) / 2 for i in range(len(c))]
    if source == 'typical':
        return [(h[i] + l[i] + c[i]) / 3 for i in range(len(c))]
    if source == 'weighted':
        return [(h[i] + l[i] + 2 * c[i]) / 4 for i in range(len(c))]
    raise ValueError(source)


def sma(x, n, first=0):
    """`first` is the first index where x is defined (earlier entries are warm-up of x itself)."""
    out = [NAN] * len(x)
    for i in range(first + n - 1, len(x)):
        total = 0.0
        for j in range(i - n + 1, i + 1):
            total += x[j]
        out[i] = total / n
    return out


def ema(x, n, first=0):
    out = [NAN] * len(x)
    seed_at = first + n - 1
    if seed_at >= len(x):
        return out
    out[seed_at] = sum(x[first:seed_at + 1]) / n
    alpha = 2.0 / (n + 1)
    for i in range(seed_at + 1, len(x)):
        out[i] = alpha * x[i] + (1 - alpha) * out[i - 1]
    return out


def wma(x, n):
    out = [NAN] * len(x)
    denominator = n * (n + 1) / 2
    for i in range(n - 1, len(x)):
        total = 0.0
        for w in range(1, n + 1):
            total += w * x[i - n + w]
        out[i] = total / denominator
    return out


def rsi_from(avg_gain, avg_loss):
    if avg_loss == 0:
        return 50.0 if avg_gain == 0 else 100.0
    return 100.0 - 100.0 / (1.0 + avg_gain / avg_loss)


def rsi(x, n):
    out = [NAN] * len(x)
    if len(x) <= n:
        return out
    gains = [0.0] + [max(x[i] - x[i - 1], 0.0) for i in range(1, len(x))]
    losses = [0.0] + [max(x[i - 1] - x[i], 0.0) for i in range(1, len(x))]
    avg_gain = sum(gains[1:n + 1]) / n
    avg_loss = sum(losses[1:n + 1]) / n
    out[n] = rsi_from(avg_gain, avg_loss)
    for i in range(n + 1, len(x)):
        avg_gain = (avg_gain * (n - 1) + gains[i]) / n
        avg_loss = (avg_loss * (n - 1) + losses[i]) / n
        out[i] = rsi_from(avg_gain, avg_loss)
    return out


def macd(x, fast, slow, signal):
    fast_line, slow_line = ema(x, fast), ema(x, slow)
    line = [fast_line[i] - slow_line[i] for i in range(len(x))]
    first = max(fast, slow) - 1
    signal_line = ema(line, signal, first) if first < len(x) else [NAN] * len(x)
    histogram = [line[i] - signal_line[i] for i in range(len(x))]
    return {'macd': line, 'signal': signal_line, 'histogram': histogram}


def bollinger(x, n, k):
    middle = sma(x, n)
    upper, lower = [NAN] * len(x), [NAN] * len(x)
    for i in range(n - 1, len(x)):
        squares = 0.0
        for j in range(i - n + 1, i + 1):
            squares += (x[j] - middle[i]) ** 2
        deviation = math.sqrt(squares / n)
        upper[i] = middle[i] + k * deviation
        lower[i] = middle[i] - k * deviation
    return {'upper': upper, 'middle': middle, 'lower': lower}


def true_range(bars):
    h, l, c = bars['high'], bars['low'], bars['close']
    tr = []
    for i in range(len(c)):
        if i == 0:
            tr.append(h[i] - l[i])
        else:
            tr.append(max(h[i] - l[i], abs(h[i] - c[i - 1]), abs(l[i] - c[i - 1])))
    return tr


def atr(bars, n):
    tr = true_range(bars)
    out = [NAN] * len(tr)
    if len(tr) < n:
        return out
    out[n - 1] = sum(tr[:n]) / n
    for i in range(n, len(tr)):
        out[i] = (out[i - 1] * (n - 1) + tr[i]) / n
    return out


def stochastic(bars, k_period, slowing, d_period):
    h, l, c = bars['high'], bars['low'], bars['close']
    raw = [NAN] * len(c)
    for i in range(k_period - 1, len(c)):
        hh = max(h[i - k_period + 1:i + 1])
        ll = min(l[i - k_period + 1:i + 1])
        raw[i] = 50.0 if hh == ll else 100.0 * (c[i] - ll) / (hh - ll)
    k = sma(raw, slowing, k_period - 1)
    d = sma(k, d_period, k_period - 1 + slowing - 1)
    return {'k': k, 'd': d}


def window_extreme(x, n, pick):
    out = [NAN] * len(x)
    for i in range(n - 1, len(x)):
        out[i] = pick(x[i - n + 1:i + 1])
    return out


def donchian(bars, n):
    upper = window_extreme(bars['high'], n, max)
    lower = window_extreme(bars['low'], n, min)
    middle = [(upper[i] + lower[i]) / 2 for i in range(len(upper))]
    return {'upper': upper, 'middle': middle, 'lower': lower}


# (indicator, source or None for whole-bar indicators, params)
CASES = [
    ('sma', 'close', {'period': 1}),
    ('sma', 'close', {'period': 14}),
    ('sma', 'typical', {'period': 50}),
    ('ema', 'close', {'period': 1}),
    ('ema', 'close', {'period': 10}),
    ('ema', 'median', {'period': 50}),
    ('wma', 'close', {'period': 1}),
    ('wma', 'weighted', {'period': 20}),
    ('rsi', 'close', {'period': 14}),
    ('rsi', 'open', {'period': 2}),
    ('macd', 'close', {'fastPeriod': 12, 'slowPeriod': 26, 'signalPeriod': 9}),
    ('macd', 'close', {'fastPeriod': 5, 'slowPeriod': 3, 'signalPeriod': 1}),
    ('bollinger', 'close', {'period': 20, 'deviations': 2}),
    ('bollinger', 'high', {'period': 7, 'deviations': 1.5}),
    ('atr', None, {'period': 14}),
    ('atr', None, {'period': 1}),
    ('stochastic', None, {'kPeriod': 14, 'kSlowing': 3, 'dPeriod': 3}),
    ('stochastic', None, {'kPeriod': 5, 'kSlowing': 1, 'dPeriod': 4}),
    ('donchian', None, {'period': 20}),
    ('highest', 'high', {'period': 1}),
    ('highest', 'high', {'period': 9}),
    ('highest', 'close', {'period': 30}),
    ('lowest', 'low', {'period': 9}),
    ('lowest', 'close', {'period': 30}),
]


def compute(name, bars, source, p):
    x = price(bars, source) if source else None
    if name == 'sma':
        return {'value': sma(x, p['period'])}
    if name == 'ema':
        return {'value': ema(x, p['period'])}
    if name == 'wma':
        return {'value': wma(x, p['period'])}
    if name == 'rsi':
        return {'value': rsi(x, p['period'])}
    if name == 'macd':
        return macd(x, p['fastPeriod'], p['slowPeriod'], p['signalPeriod'])
    if name == 'bollinger':
        return bollinger(x, p['period'], p['deviations'])
    if name == 'atr':
        return {'value': atr(bars, p['period'])}
    if name == 'stochastic':
        return stochastic(bars, p['kPeriod'], p['kSlowing'], p['dPeriod'])
    if name == 'donchian':
        return donchian(bars, p['period'])
    if name == 'highest':
        return {'value': window_extreme(x, p['period'], max)}
    if name == 'lowest':
        return {'value': window_extreme(x, p['period'], min)}
    raise ValueError(name)


def as_json(values):
    return [None if math.isnan(v) else v for v in values]


def main():
    for bar_file in BAR_FILES:
        path = os.path.join(FIXTURES, bar_file)
        if not os.path.exists(path):
            continue
        bars = read_bars(path)
        cases = []
        for name, source, params in CASES:
            outputs = compute(name, bars, source, params)
            case = {'indicator': name, 'params': params, 'outputs': {k: as_json(v) for k, v in outputs.items()}}
            if source:
                case['source'] = source
            cases.append(case)
        target = os.path.join(FIXTURES, 'expected-' + bar_file.replace('bars-', '').replace('.csv', '.json'))
        with open(target, 'w') as f:
            json.dump({'bars': bar_file, 'cases': cases}, f, allow_nan=False, separators=(',', ':'))
            f.write('\n')
        print(f'{target}: {len(cases)} cases over {len(bars["close"])} bars')


if __name__ == '__main__':
    main()
