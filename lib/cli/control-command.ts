// `ikelb show ...` and `ikelb clear ...`: IOS-style commands answered by a
// running daemon over its control socket. The words after the verb are passed
// through unchanged; the daemon decides what they mean.
import { queryControl } from '../control/client';
import { defaultControlPath } from '../control/protocol';
import { IkelbError } from '../errors';
import type { Command } from './command';

interface ControlArgs {
  readonly words: string[];
  readonly json: boolean;
  readonly socketPath: string;
}

function parseControlArgs(verb: string, args: readonly string[]): ControlArgs {
  const words: string[] = [verb];
  let json = false;
  let socketPath = defaultControlPath();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--control') {
      const value = args[++i];
      if (value === undefined) throw new IkelbError('IKELB_ERR_USAGE', '--control needs a socket path');
      socketPath = value;
    } else if (arg.startsWith('--control=')) socketPath = arg.slice('--control='.length);
    else if (arg.startsWith('--')) throw new IkelbError('IKELB_ERR_USAGE', `unknown option ${arg}`);
    else words.push(arg);
  }
  if (words.length === 1) throw new IkelbError('IKELB_ERR_USAGE', `usage: ikelb ${verb} <what> [--json] [--control PATH]`);
  return { words, json, socketPath };
}

export function controlCommand(verb: 'show' | 'clear' | 'request', summary: string): Command {
  return {
    summary,
    usage: `ikelb ${verb} <what...> [--json] [--control PATH]`,
    async run({ args, stdout, stderr }) {
      const { words, json, socketPath } = parseControlArgs(verb, args);
      const response = await queryControl(socketPath, words);
      if (!response.ok) {
        stderr.write(`${response.error}\n`);
        return 1;
      }
      stdout.write(json ? `${JSON.stringify(response.data, null, 2)}\n` : response.text.endsWith('\n') ? response.text : `${response.text}\n`);
      return 0;
    },
  };
}
