import type { ProblemLocation } from '../runtime/errors.js';

/**
 * A problem found in an input. A `reject` keeps the row out of the store; a `warning` is reported and
 * the row is kept. Every issue names where it is and what was expected.
 */
export type Severity = 'warning' | 'reject';

export interface Issue extends ProblemLocation {
  severity: Severity;
  code: string;
  message: string;
  /** The trade's source id when the problem concerns one trade. */
  tradeId?: string;
}

/**
 * Collects issues with a cap on how many are kept in detail, so a file with a million bad rows
 * cannot exhaust memory, while the counts by code stay exact.
 */
export class IssueLog {
  readonly kept: Issue[] = [];
  readonly counts = new Map<string, { severity: Severity; count: number }>();
  rejects = 0;
  warnings = 0;

  constructor(private readonly maxKept = 1000) {}

  add(issue: Issue): void {
    if (issue.severity === 'reject') this.rejects++;
    else this.warnings++;
    const key = `${issue.severity}:${issue.code}`;
    const c = this.counts.get(key);
    if (c) c.count++;
    else this.counts.set(key, { severity: issue.severity, count: 1 });
    if (this.kept.length < this.maxKept) this.kept.push(issue);
  }

  /** Counts `n` more issues of a code whose details were not kept (a capped detector reports its total). */
  tally(severity: Severity, code: string, n: number): void {
    if (n <= 0) return;
    if (severity === 'reject') this.rejects += n;
    else this.warnings += n;
    const key = `${severity}:${code}`;
    const c = this.counts.get(key);
    if (c) c.count += n;
    else this.counts.set(key, { severity, count: n });
  }

  addAll(issues: Iterable<Issue>): void {
    for (const i of issues) this.add(i);
  }

  get total(): number {
    return this.rejects + this.warnings;
  }

  toJSON(): IssueReport {
    return {
      rejects: this.rejects,
      warnings: this.warnings,
      byCode: [...this.counts.entries()].map(([key, v]) => ({
        code: key.slice(key.indexOf(':') + 1),
        severity: v.severity,
        count: v.count,
      })),
      issues: this.kept,
      truncated: this.total > this.kept.length,
    };
  }

  static from(report: IssueReport, maxKept = 1000): IssueLog {
    const log = new IssueLog(maxKept);
    log.rejects = report.rejects;
    log.warnings = report.warnings;
    for (const b of report.byCode) log.counts.set(`${b.severity}:${b.code}`, { severity: b.severity, count: b.count });
    log.kept.push(...report.issues.slice(0, maxKept));
    return log;
  }
}

export interface IssueReport {
  rejects: number;
  warnings: number;
  byCode: { code: string; severity: Severity; count: number }[];
  issues: Issue[];
  truncated: boolean;
}

/** The report of a unit that was not read again (already stored, or made by the platform itself). */
export const NO_ISSUES: Readonly<IssueReport> = Object.freeze({ rejects: 0, warnings: 0, byCode: [], issues: [], truncated: false });
