import { assembleClient } from '../daemon/assemble';
import type { Command } from './command';
import { runDaemon } from './daemon-runner';

export const clientCommand: Command = {
  summary: 'run the FlexVPN client (crypto ikev2 client flexvpn) from an IOS config until SIGTERM',
  usage: 'ikelb client --config FILE [--control PATH] [--log-level LEVEL]',
  run: (ctx) => runDaemon('client', ctx, (config, log) => assembleClient(config, log)),
};
