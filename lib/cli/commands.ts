import { checkConfigCommand } from './check-config';
import type { Command } from './command';
import { clientCommand } from './client';
import { controlCommand } from './control-command';
import { gatewayCommand } from './gateway';
import { decodeCommand } from './decode';
import { demoCommand } from './demo';
import { versionCommand } from './version';

/** Every `ikelb <command>`; the key is what the user types. */
export const commands: Readonly<Record<string, Command>> = {
  version: versionCommand,
  'check-config': checkConfigCommand,
  show: controlCommand('show', 'ask a running gateway: show crypto ikev2 sa | cluster, show standby, ...'),
  clear: controlCommand('clear', 'ask a running gateway: clear crypto ikev2 sa, ...'),
  request: controlCommand('request', 'ask a running gateway to act now: request crypto ikev2 rekey|dpd TUNNEL-ID'),
  gateway: gatewayCommand,
  client: clientCommand,
  decode: decodeCommand,
  demo: demoCommand,
};
