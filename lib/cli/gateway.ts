import { assembleGateway } from '../daemon/assemble';
import type { Command } from './command';
import { runDaemon } from './daemon-runner';

export const gatewayCommand: Command = {
  summary: 'run an IKEv2 gateway from an IOS config until SIGTERM',
  usage: 'ikelb gateway --config FILE [--control PATH] [--log-level LEVEL]',
  run: (ctx) => runDaemon('gateway', ctx, (config, log) => assembleGateway(config, log)),
};
