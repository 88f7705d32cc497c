import type { Command } from './command';
import { decodeCommand } from './decode';
import { versionCommand } from './version';

/** Every `ikelb <command>`; the key is what the user types. */
export const commands: Readonly<Record<string, Command>> = {
  version: versionCommand,
  decode: decodeCommand,
};
