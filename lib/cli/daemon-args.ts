// Arguments shared by the daemon commands (`ikelb gateway`, `ikelb client`):
// --config FILE (required), --control PATH, --log-level LEVEL.
import { defaultControlPath } from '../control/protocol';
import { IkelbError } from '../errors';

export interface DaemonArgs {
  readonly config: string;
  readonly controlPath: string;
  readonly logLevel: string | undefined;
}

export function parseDaemonArgs(command: string, args: readonly string[]): DaemonArgs {
  let config: string | undefined;
  let controlPath = defaultControlPath();
  let logLevel: string | undefined;
  const usage = `usage: ikelb ${command} --config FILE [--control PATH] [--log-level LEVEL]`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new IkelbError('IKELB_ERR_USAGE', `${name} needs a value\n${usage}`);
      return v;
    };
    if (name === '--config' || name === '-c') config = value();
    else if (name === '--control') controlPath = value();
    else if (name === '--log-level') logLevel = value();
    else throw new IkelbError('IKELB_ERR_USAGE', `unknown argument '${arg}'\n${usage}`);
  }
  if (config === undefined) throw new IkelbError('IKELB_ERR_USAGE', `--config is required\n${usage}`);
  return { config, controlPath, logLevel };
}
