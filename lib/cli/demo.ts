// `ikelb demo [--seconds N] [--no-failover] [--keep-logs] [--configs DIR]`:
// the local demo cluster on loopback (lib/demo/run-demo.ts); `npm run demo`.
import path from 'node:path';
import { runDemo } from '../demo/run-demo';
import { IkelbError } from '../errors';
import type { Command } from './command';

const usage = 'ikelb demo [--seconds N] [--no-failover] [--keep-logs] [--configs DIR]';

export const demoCommand: Command = {
  summary: 'run a three-gateway cluster with FlexVPN clients on loopback (no root), then stop it',
  usage,
  async run({ args, stdout }) {
    let seconds = 25;
    let failover = true;
    let keepLogs = false;
    // examples/demo of the package: dist/cli (or lib/cli) -> ../../examples/demo
    let configDir = path.join(__dirname, '..', '..', 'examples', 'demo');
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const value = (): string => {
        const v = args[++i];
        if (v === undefined) throw new IkelbError('IKELB_ERR_USAGE', `${arg} needs a value\nusage: ${usage}`);
        return v;
      };
      if (arg === '--seconds') {
        seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds < 5 || seconds > 3600) throw new IkelbError('IKELB_ERR_USAGE', `--seconds must be 5..3600\nusage: ${usage}`);
      } else if (arg === '--no-failover') failover = false;
      else if (arg === '--keep-logs') keepLogs = true;
      else if (arg === '--configs') configDir = path.resolve(value());
      else throw new IkelbError('IKELB_ERR_USAGE', `unknown argument '${arg}'\nusage: ${usage}`);
    }
    return runDemo({ seconds, failover, keepLogs, configDir, out: stdout });
  },
};
