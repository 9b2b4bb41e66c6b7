import { adapterChoices, maskedConfig, type Config } from '../../runtime/config.js';
import { table, type Output } from '../output.js';

export function configCommand(config: Config, out: Output): void {
  const value = { config: maskedConfig(config), dataDir: config.dataDir, adapters: adapterChoices(config) };
  out.result(value, (v: typeof value) =>
    [
      table([['variable', 'value'], ...Object.entries(v.config).map(([k, x]) => [k, x === null ? '(unset)' : String(x)])]),
      '',
      table([['port', 'adapter'], ...Object.entries(v.adapters)]),
    ].join('\n'),
  );
}
