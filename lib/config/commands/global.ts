// Global commands that open no block: `hostname`, and the IOS features
// ikelb deliberately leaves out (so they get a reason, not "unknown command").
import { command, type CommandSpec, unsupported } from '../command';
import { at } from '../draft';
import { seq, val } from '../syntax';
import { hostName } from '../values';

export const globalCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('hostname', val('name', hostName, 'hostname')),
    run(ctx, args) {
      ctx.state.hostname = at(args.get<string>('name'), ctx.line);
    },
  }),
  unsupported('global', ['crypto', 'isakmp'], 'crypto isakmp', 'ikelb speaks IKEv2 only (crypto ikev2 ...)', true),
  unsupported('global', ['crypto', 'ikev2', 'certificate-cache'], 'crypto ikev2 certificate-cache', 'certificates are read from trustpoint files'),
];
