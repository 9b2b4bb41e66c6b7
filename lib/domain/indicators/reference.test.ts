import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INDICATORS, isIndicatorName, type PriceBars, type PriceSourceName } from './index.js';

// Expected values come from scripts/reference/indicators.py, an independent naive implementation
// (fresh sums per window, Python floats); regenerate with the two scripts in scripts/reference/.
const FIXTURES = new URL('../../../tests/fixtures/indicators/', import.meta.url);
const TOLERANCE = 1e-9;

interface ReferenceCase {
  indicator: string;
  source?: PriceSourceName;
  params: Record<string, number>;
  outputs: Record<string, (number | null)[]>;
}

function readBars(file: string): PriceBars {
  const [header, ...rows] = readFileSync(new URL(file, FIXTURES), 'utf8').trim().split('\n');
  const names = header!.split(',').map((name) => name.trim().toLowerCase());
  const column = (name: string): Float64Array => {
    const at = names.indexOf(name);
    return Float64Array.from(rows, (row) => Number(row.split(',')[at]));
  };
  return { open: column('open'), high: column('high'), low: column('low'), close: column('close') };
}

/** Passes when the difference is within 1e-9 absolutely or 1e-9 relative to the expected magnitude. */
function mismatches(actual: Float64Array, expected: (number | null)[]): string[] {
  const problems: string[] = [];
  if (actual.length !== expected.length) return [`length ${actual.length} != ${expected.length}`];
  expected.forEach((want, i) => {
    const got = actual[i]!;
    if (want === null) {
      if (!Number.isNaN(got)) problems.push(`[${i}] expected warm-up NaN, got ${got}`);
    } else if (!(Math.abs(got - want) <= TOLERANCE * Math.max(1, Math.abs(want)))) {
      problems.push(`[${i}] expected ${want}, got ${got}`);
    }
  });
  return problems.slice(0, 5);
}

const expectationFiles = readdirSync(FIXTURES).filter((name) => name.startsWith('expected-'));

describe('indicators agree with the independent Python reference to 1e-9', () => {
  it('has reference files to compare against', () => {
    expect(expectationFiles.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of expectationFiles) {
    const reference = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as {
      bars: string;
      cases: ReferenceCase[];
    };
    const bars = readBars(reference.bars);
    describe(reference.bars, () => {
      for (const testCase of reference.cases) {
        const label = `${testCase.indicator}(${testCase.source ?? 'bars'}, ${JSON.stringify(testCase.params)})`;
        it(`${label} matches value for value`, () => {
          if (!isIndicatorName(testCase.indicator)) throw new Error(`unknown indicator ${testCase.indicator}`);
          const outputs = INDICATORS[testCase.indicator].compute(bars, testCase.params, testCase.source);
          expect(Object.keys(outputs).sort()).toEqual(Object.keys(testCase.outputs).sort());
          for (const [name, expected] of Object.entries(testCase.outputs)) {
            expect(mismatches(outputs[name]!, expected), name).toEqual([]);
          }
        });

        it(`${label} starts exactly where the registry's warm-up says`, () => {
          if (!isIndicatorName(testCase.indicator)) throw new Error(`unknown indicator ${testCase.indicator}`);
          const warmup = INDICATORS[testCase.indicator].warmup(testCase.params);
          const columns = Object.values(testCase.outputs);
          const firstComplete = columns[0]!.findIndex((_, i) => columns.every((column) => column[i] !== null));
          expect(firstComplete).toBe(warmup < bars.close.length ? warmup : -1);
        });
      }
    });
  }
});
