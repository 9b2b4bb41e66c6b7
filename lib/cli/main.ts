import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../runtime/config.js';
import { describeLocation, type ErrorDetails } from '../runtime/errors.js';
import { CliError, EXIT } from './cli-error.js';
import { backtestCommand, type BacktestFlags } from './commands/backtest.js';
import { askCommand } from './commands/ask.js';
import { configCommand } from './commands/config.js';
import { ingestCommand } from './commands/ingest.js';
import { insightsCommand } from './commands/insights.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { makeOutput } from './output.js';

const program = new Command('trading-ai')
  .description('Research platform for cTrader cBot traders')
  .addOption(new Option('--json', 'print machine-readable JSON on stdout'))
  .addOption(new Option('--url <url>', 'talk to the runner at this URL (default: http://HOST:PORT when one answers)'))
  .showHelpAfterError()
  .exitOverride();

const config = (): Config => loadConfig();
const globals = () => program.opts<{ json?: boolean; url?: string }>();

program
  .command('serve')
  .description('start the platform: gateway routes on 127.0.0.1:PORT, embedded defaults, bundled sample data')
  .action(async () => serveCommand(config()));

program
  .command('ingest')
  .description('ingest cTrader exports: report JSON/HTML, events.json, History CSV, .cbotset, optimisation params, OHLC CSV, or zips of them')
  .argument('<files...>', 'files to ingest')
  .option('--symbol <symbol>', 'symbol for sources that carry none (events.json)')
  .option('--name <name>', 'display name of the backtest')
  .option('--skip-rejects', 'load the accepted rows even when some rows are rejected')
  .option('--no-wait', 'with a runner: return the job ids at once instead of waiting')
  .action(async (files: string[], o: { symbol?: string; name?: string; skipRejects?: boolean; wait: boolean }) =>
    ingestCommand(config(), makeOutput(!!globals().json), files, { ...o, ...(globals().url ? { url: globals().url } : {}) }),
  );

program
  .command('status')
  .description('jobs, uploads, dead letters and loaded data')
  .option('--limit <n>', 'rows per section', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new CliError('--limit must be a whole number from 1 to 1000', EXIT.usage);
    return n;
  }, 20)
  .action(async (o: { limit: number }) => statusCommand(config(), makeOutput(!!globals().json), { limit: o.limit, ...(globals().url ? { url: globals().url } : {}) }));

program
  .command('config')
  .description('print the configuration (secrets masked) and the adapter each port will use')
  .action(() => configCommand(config(), makeOutput(!!globals().json)));

program
  .command('backtest')
  .description('backtest a strategy on bars: a bar file (ingested first) or dataset id, a spec file or library strategy')
  .option('--bars <file|datasetId>', 'an OHLC bar CSV, or the id of an ingested bar dataset')
  .option('--strategy <spec.json|name>', 'a strategy spec file, or a library strategy name')
  .option('--param <name=value>', 'a parameter value (repeat for several); others take their defaults', (v: string, all: string[]) => [...all, v], [] as string[])
  .option('--trades <out.csv>', 'write the trades as CSV')
  .option('--store', 'save the run as a backtest, to query like an ingested one')
  .option('--symbol <symbol>', 'symbol on the trades (default: the dataset\'s)')
  .option('--balance <amount>', 'starting balance (default 10000)', (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new CliError('--balance must be a positive number', EXIT.usage);
    return n;
  })
  .option('--close-at-end', 'close positions still open after the last bar')
  .option('--no-cache', 'recompute even when an identical run is in the result cache')
  .option('--list-strategies', 'list the library strategies and their parameters')
  .action(async (o: Omit<BacktestFlags, 'url'>) => backtestCommand(config(), makeOutput(!!globals().json), { ...o, ...(globals().url ? { url: globals().url } : {}) }));

program
  .command('ask')
  .description('ask a question about a backtest in plain language (default: the most recent backtest)')
  .argument('<question>', 'the question, e.g. "which days should I avoid?"')
  .option('--backtest <id>', 'the backtest to ask about')
  .option('--k <n>', 'evidence chunks to cite (1-20)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 20) throw new CliError('--k must be a whole number from 1 to 20', EXIT.usage);
    return n;
  })
  .action(async (question: string, o: { backtest?: string; k?: number }) =>
    askCommand(config(), makeOutput(!!globals().json), question, { ...o, ...(globals().url ? { url: globals().url } : {}) }),
  );

program
  .command('insights')
  .description('top findings of a backtest without a question: windows, streaks, stop-loss exits, excursions, separating features')
  .argument('[backtestId]', 'the backtest (default: the most recent)')
  .action(async (backtestId: string | undefined) => insightsCommand(config(), makeOutput(!!globals().json), backtestId, globals().url ? { url: globals().url } : {}));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = report(err);
}

/** One place turns every failure into a message and an exit code. */
function report(err: unknown): number {
  const json = !!globals().json;
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof ConfigError) {
    emit(json, { error: { code: 'invalid_config', message: err.message, details: err.problems } }, err.message);
    return EXIT.usage;
  }
  if (err instanceof CliError) {
    if (err.body !== null) emit(json, err.body ?? { error: { code: 'failed', message: err.message } }, errorText(err.message, err.body));
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  emit(json, { error: { code: 'failed', message } }, message);
  return EXIT.failed;
}

function emit(json: boolean, body: unknown, text: string): void {
  if (json) process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  else process.stderr.write(`error: ${text}\n`);
}

function errorText(message: string, body: unknown): string {
  const e = (body as { error?: { message?: string; details?: ErrorDetails } } | undefined)?.error;
  if (!e?.message) return message;
  const where = e.details ? describeLocation(e.details) : '';
  return `${e.message}${where ? ` (${where})` : ''}`;
}
