#!/usr/bin/env node
import { IkelbError } from '../errors';
import type { CommandContext } from './command';
import { commands } from './commands';

function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`);
  return `usage: ikelb <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: readonly string[], io: Omit<CommandContext, 'args'>): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    io.stdout.write(helpText());
    return first === undefined ? 1 : 0;
  }
  const name = first === '--version' || first === '-V' ? 'version' : first;
  const command = commands[name];
  if (command === undefined) {
    io.stderr.write(`ikelb: unknown command '${first}'\n\n${helpText()}`);
    return 1;
  }
  try {
    return await command.run({ ...io, args: rest });
  } catch (err) {
    if (err instanceof IkelbError) {
      io.stderr.write(`ikelb ${name}: ${err.message}\n`);
      return err.code === 'IKELB_ERR_USAGE' ? 2 : 1;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`ikelb: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 70;
    },
  );
}
