// A UDP sink inside a lab host: binds a port (optionally joins a multicast group
// on an interface) and records every datagram it receives, bytes included. Used to
// capture what a real peer sends (strongSwan's IKE_SA_INIT, HSRP hellos) without
// answering it.
//
//   const sink = await startUdpSink(gw, { port: 500 });
//   ... make a peer send to gw ...
//   const [first] = await sink.next(1, 5000);   // { from, fromPort, data: Buffer, at }
//   await sink.stop();                          // the lab stops it anyway at cleanup
//
// The sink is a tiny plain-JavaScript Node program run with `ip netns exec` (no
// TypeScript loader: it starts in ~50 ms); it prints one JSON line per datagram.
import { isIP } from 'node:net';
import type { Host } from './netns';
import type { ExitStatus, Proc } from './proc';

export interface UdpSinkOptions {
  readonly port: number;
  /** Local address to bind; default '::' (IPv4 and IPv6) or '0.0.0.0' with family 4. */
  readonly address?: string;
  readonly family?: 4 | 6;
  /** Multicast group to join, e.g. '224.0.0.2', on the interface with `interfaceAddress`. */
  readonly group?: string;
  readonly interfaceAddress?: string;
}

export interface ReceivedDatagram {
  readonly from: string;
  readonly fromPort: number;
  readonly data: Buffer;
  /** Date.now() in the sink when it arrived. */
  readonly at: number;
}

export interface UdpSink {
  readonly proc: Proc;
  /** Every datagram received so far. */
  readonly received: readonly ReceivedDatagram[];
  /** Resolves once at least `count` datagrams have arrived (all of them so far). */
  next(count?: number, timeoutMs?: number): Promise<readonly ReceivedDatagram[]>;
  stop(): Promise<ExitStatus>;
}

const SINK_PROGRAM = `
const dgram = require('node:dgram');
const [port, address, type, group, ifaddr] = process.argv.slice(1);
const sock = dgram.createSocket({ type, reuseAddr: true });
sock.on('message', (msg, rinfo) => {
  process.stdout.write(JSON.stringify({ from: rinfo.address, fromPort: rinfo.port, hex: msg.toString('hex'), at: Date.now() }) + '\\n');
});
sock.on('error', (e) => { process.stderr.write('sink error: ' + e.message + '\\n'); process.exit(1); });
sock.bind(Number(port), address, () => {
  if (group) sock.addMembership(group, ifaddr || undefined);
  process.stdout.write(JSON.stringify({ listening: sock.address() }) + '\\n');
});
process.on('SIGTERM', () => { sock.close(); process.exit(0); });
`;

export async function startUdpSink(host: Host, options: UdpSinkOptions): Promise<UdpSink> {
  const family = options.family ?? (isIP(options.address ?? options.group ?? '::') === 4 ? 4 : 6);
  const address = options.address ?? (family === 4 ? '0.0.0.0' : '::');
  const proc = host.spawn(`udp-sink-${options.port}`, process.execPath, [
    '-e',
    SINK_PROGRAM,
    String(options.port),
    address,
    family === 4 ? 'udp4' : 'udp6',
    options.group ?? '',
    options.interfaceAddress ?? '',
  ]);
  await proc.waitForOutput(/"listening"/, 10_000);
  const parse = (): ReceivedDatagram[] =>
    proc.stdout
      .split('\n')
      .slice(0, -1) // the last piece is an incomplete line (or '')
      .filter((line) => line.startsWith('{"from"'))
      .map((line) => {
        const j = JSON.parse(line) as { from: string; fromPort: number; hex: string; at: number };
        return { from: j.from.replace(/^::ffff:/, ''), fromPort: j.fromPort, data: Buffer.from(j.hex, 'hex'), at: j.at };
      });
  return {
    proc,
    get received() {
      return parse();
    },
    next(count = 1, timeoutMs = 10_000) {
      return proc.waitUntil(
        () => {
          const got = parse();
          return got.length >= count ? got : undefined;
        },
        timeoutMs,
        `receive ${count} datagram(s) on port ${options.port}`,
      );
    },
    stop: () => proc.stop(),
  };
}
