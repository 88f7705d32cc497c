// Helpers for interop tests of `ikelb gateway` / `ikelb client` in lab hosts:
// write an IOS config, start the daemon, wait until it serves, ask its
// control socket. Every process is stopped by the lab's teardown.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { queryControl } from '../../lib/control/client';
import type { Host } from '../support/netns';
import type { Proc } from '../support/proc';

export interface IkelbDaemon {
  readonly proc: Proc;
  readonly control: string;
  readonly config: string;
  /** `show ...` over the control socket; throws on an error answer. */
  show(...words: string[]): Promise<{ text: string; data: unknown }>;
  command(...words: string[]): Promise<{ text: string; data: unknown }>;
}

export async function startIkelb(
  host: Host,
  role: 'gateway' | 'client',
  config: string,
  name: string = role,
  options: { readonly logLevel?: string } = {},
): Promise<IkelbDaemon> {
  const file = path.join(host.lab.dir, `${host.name}-${name}.conf`);
  const control = path.join(host.lab.dir, `${host.name}-${name}.sock`);
  writeFileSync(file, config);
  const logLevel = options.logLevel ?? 'debug';
  const proc = host.spawnIkelb([role, '--config', file, '--control', control, '--log-level', logLevel], { env: { ...process.env, IKELB_LOG_LEVEL: logLevel } }, `ikelb-${name}`);
  await proc.waitForOutput(new RegExp(`ikelb ${role} running`), 20_000);
  const command = async (...words: string[]): Promise<{ text: string; data: unknown }> => {
    const r = await queryControl(control, words);
    if (!r.ok) throw new Error(r.error);
    return { text: r.text, data: r.data };
  };
  return { proc, control, config: file, show: (...words) => command('show', ...words), command };
}

export const gatewayPskConfig = (extra = ''): string => `hostname gw
crypto ikev2 proposal default
 encryption aes-gcm-256 aes-gcm-128
 prf sha256 sha384
 group 31 19 14
!
crypto ikev2 keyring clients
 peer any
  address 0.0.0.0 0.0.0.0
  pre-shared-key s3cret-psk
!
crypto ikev2 profile flexvpn
 match identity remote any
 identity local fqdn gw.example.com
 authentication remote pre-share
 authentication local pre-share
 keyring local clients
${extra}
end
`;

export interface ShownSa {
  readonly tunnelId: number;
  readonly status: string;
  readonly remote: string;
  readonly remotePort: number;
  readonly localPort: number;
  readonly encryption: string;
  readonly keySize: number;
  readonly dhGroup: number;
  readonly authSign: string;
  readonly authVerify: string;
  readonly remoteId: string;
  readonly spiI: string;
  readonly spiR: string;
  readonly children: readonly { readonly spiIn: string; readonly spiOut: string; readonly localTs: readonly string[]; readonly remoteTs: readonly string[] }[];
}

export async function shownSas(d: IkelbDaemon): Promise<ShownSa[]> {
  const r = await d.show('crypto', 'ikev2', 'sa', 'detail');
  return (r.data as { sas: ShownSa[] }).sas;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
