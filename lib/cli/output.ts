/** Where command output goes: JSON on stdout with --json, readable text otherwise. Logs stay on stderr. */
export interface Output {
  json: boolean;
  /** Prints the result: as JSON, or through `human` for people. */
  result(value: unknown, human: (value: any) => string): void;
  info(line: string): void;
}

export function makeOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human(value)}\n`);
    },
    info(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
  };
}

/** Aligns rows into columns; the first row is the header. */
export function table(rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function money(v: number | null | undefined, currency?: string | null): string {
  if (v === null || v === undefined) return '-';
  const text = v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${text} ${currency}` : text;
}

export function percent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined ? '-' : `${(fraction * 100).toFixed(1)} %`;
}
