// Runs an assembled daemon until SIGTERM/SIGINT: load the config (every
// error with file:line), assemble the components, start them, serve the
// control socket, stop in reverse on a signal.
import { formatDiagnostic, loadConfigFile } from '../config';
import type { IkelbConfig } from '../config/model';
import type { Assembly } from '../daemon/assemble';
import { Daemon } from '../daemon/daemon';
import { createLogger, type Logger } from '../log';
import type { CommandContext } from './command';
import { parseDaemonArgs } from './daemon-args';

export async function runDaemon(command: 'gateway' | 'client', ctx: CommandContext, assemble: (config: IkelbConfig, log: Logger) => Assembly): Promise<number> {
  const args = parseDaemonArgs(command, ctx.args);
  const { config, warnings } = loadConfigFile(args.config);
  for (const w of warnings) ctx.stderr.write(`${formatDiagnostic(w)}\n`);
  const log = createLogger(`ikelb-${command}`, args.logLevel === undefined ? {} : { level: args.logLevel });
  const assembly = assemble(config, log);
  const daemon = new Daemon({ components: assembly.components, controlPath: args.controlPath, log });
  await daemon.start();
  log.info({ config: args.config, control: args.controlPath, hostname: config.hostname }, `ikelb ${command} running`);
  await daemon.runUntilSignalled();
  return 0;
}
