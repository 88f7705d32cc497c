// `interface NAME` and its addressing commands. The name is the Linux
// interface the gateway runs on (eth0), not an IOS name (GigabitEthernet0/0).
import { command, type CommandSpec, noForm } from '../command';
import type { InterfaceDraft } from '../draft';
import { at } from '../draft';
import { formatIpv4, ipv4Network, prefixLengthToMask } from '../ip';
import { flag, opt, rest, seq, val } from '../syntax';
import { interfaceName, type Ipv4Value, ipv4, ipv4Mask, type Ipv6PrefixValue, ipv6Prefix, type MaskValue, text } from '../values';

export function newInterface(name: string, line: number): InterfaceDraft {
  return { name, line, shutdown: false, ipv4Secondary: [], ipv6: [], standbyUseBia: false, standbyGroups: new Map() };
}

/** IOS refuses a host address that is the network or broadcast address of its own subnet ("Bad mask"). */
function interfaceAddressProblem(address: Ipv4Value, mask: MaskValue): string | undefined {
  if (mask.prefixLength === 0) return 'mask 0.0.0.0 is not valid on an interface';
  if (mask.prefixLength >= 31) return undefined; // RFC 3021 point-to-point /31 and host /32 have no network or broadcast address
  const network = ipv4Network(address.value, mask.prefixLength);
  const broadcast = (network | (~prefixLengthToMask(mask.prefixLength) >>> 0)) >>> 0;
  if (address.value === network) return `${address.address} is the network address of ${formatIpv4(network)}/${mask.prefixLength}`;
  if (address.value === broadcast) return `${address.address} is the broadcast address of ${formatIpv4(network)}/${mask.prefixLength}`;
  return undefined;
}

export const interfaceCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('interface', val('name', interfaceName, 'interface name')),
    opens: { mode: 'interface', scratch: () => newInterface('scratch', 0) },
    run(ctx, args) {
      const name = args.get<string>('name');
      let iface = ctx.state.interfaces.get(name);
      if (iface === undefined) {
        iface = newInterface(name, ctx.line);
        ctx.state.interfaces.set(name, iface);
      }
      ctx.enter('interface', iface);
    },
  }),
  command({
    mode: 'interface',
    syntax: seq('description', rest('description', text(240))),
    run(ctx, args) {
      ctx.state.description = args.get<string>('description');
    },
    no: {
      syntax: noForm('description'),
      run(ctx) {
        delete ctx.state.description;
      },
    },
  }),
  command({
    mode: 'interface',
    syntax: seq('shutdown'),
    run(ctx) {
      ctx.state.shutdown = true;
    },
    no: {
      syntax: noForm('shutdown'),
      run(ctx) {
        ctx.state.shutdown = false;
      },
    },
  }),
  command({
    mode: 'interface',
    syntax: seq('ip', 'address', val('address', ipv4), val('mask', ipv4Mask), opt(flag('secondary'))),
    run(ctx, args) {
      const address = args.get<Ipv4Value>('address');
      const mask = args.get<MaskValue>('mask');
      const problem = interfaceAddressProblem(address, mask);
      if (problem !== undefined) {
        ctx.error(problem);
        return;
      }
      const entry = at({ address: address.address, value: address.value, mask: mask.mask, prefixLength: mask.prefixLength }, ctx.line);
      if (args.has('secondary')) {
        if (ctx.state.ipv4 === undefined) ctx.error('a secondary address needs a primary `ip address` first (IOS)');
        else ctx.state.ipv4Secondary.push(entry);
      } else {
        ctx.state.ipv4 = entry; // IOS: a new primary address replaces the old one
      }
    },
    no: {
      syntax: noForm('ip', 'address'),
      run(ctx) {
        delete ctx.state.ipv4;
        ctx.state.ipv4Secondary = [];
      },
    },
  }),
  command({
    mode: 'interface',
    syntax: seq('ipv6', 'address', val('prefix', ipv6Prefix, 'address')),
    run(ctx, args) {
      const prefix = args.get<Ipv6PrefixValue>('prefix');
      ctx.state.ipv6.push(at({ address: prefix.address, prefixLength: prefix.prefixLength }, ctx.line));
    },
  }),
];
