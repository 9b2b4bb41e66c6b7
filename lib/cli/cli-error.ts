/** Exit codes: 0 done, 1 the work failed, 2 the command was used wrongly (or the config is invalid). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
