import { nativeInfo } from '../native';
import { packageVersion } from '../version';
import type { Command } from './command';

// Loads the addon on purpose: `ikelb --version` is how an installation proves
// its native part (prebuild or local build) and Node's OpenSSL both work.
export const versionCommand: Command = {
  summary: 'print the ikelb version and the native addon it runs on',
  usage: 'ikelb --version',
  async run({ stdout }) {
    const info = nativeInfo();
    stdout.write(`ikelb ${packageVersion} (node ${process.versions.node}, N-API ${info.napiVersion}, ${info.opensslVersion})\n`);
    return 0;
  },
};
