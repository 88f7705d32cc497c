// Global `crypto ikev2 ...` settings of the IKE daemon: where it listens
// (ikelb extension), DoS limits, DPD, NAT keepalive, window, fragmentation.
import { command, type CommandSpec, noForm } from '../command';
import { at } from '../draft';
import type { Dpd } from '../model';
import { choice, type Node, oneOf, opt, seq, set, val } from '../syntax';
import { int, type IpValue, ipAddress } from '../values';
import type { Args } from '../command';

/** `INTERVAL RETRY on-demand|periodic` (IOS ranges: 10-3600 s and 2-60 s). */
export const dpdSyntax: Node = seq(
  val('dpdInterval', int(10, 3600), 'DPD interval (s)'),
  val('dpdRetry', int(2, 60), 'DPD retry interval (s)'),
  oneOf('dpdMode', ['on-demand', 'periodic']),
);

export function dpdFrom(args: Args): Dpd {
  return {
    intervalSeconds: args.get<number>('dpdInterval'),
    retrySeconds: args.get<number>('dpdRetry'),
    mode: args.get<'on-demand' | 'periodic'>('dpdMode'),
  };
}

/** NAT keepalive seconds (IOS range 5-3600). */
export const natKeepaliveValue = val('seconds', int(5, 3600), 'NAT keepalive (s)');

const ikev2 = (...parts: (Node | string)[]): Node => seq('crypto', 'ikev2', ...parts);

export const ikev2GlobalCommands: CommandSpec[] = [
  command({
    mode: 'global',
    // ikelb extension: `crypto ikev2 listen address A.B.C.D|X:X::X|any [port N] [nat-t-port N]`.
    syntax: ikev2(
      'listen',
      'address',
      choice(val('address', ipAddress, 'listen address'), seq('any', set('any'))),
      opt('port', val('port', int(1, 65535), 'port')),
      opt('nat-t-port', val('natTPort', int(1, 65535), 'nat-t-port')),
    ),
    run(ctx, args) {
      const port = args.opt<number>('port') ?? null;
      const natTPort = args.opt<number>('natTPort') ?? null;
      if (args.has('any')) {
        ctx.state.listen.push(at({ address: '0.0.0.0', family: 4, port, natTPort }, ctx.line));
        ctx.state.listen.push(at({ address: '::', family: 6, port, natTPort }, ctx.line));
        return;
      }
      const address = args.get<IpValue>('address');
      ctx.state.listen.push(at({ address: address.address, family: address.family, port, natTPort }, ctx.line));
    },
  }),
  command({
    mode: 'global',
    syntax: ikev2('cookie-challenge', val('threshold', int(0, 1_000_000), 'cookie-challenge threshold')),
    run(ctx, args) {
      ctx.state.cookieChallenge = at(args.get<number>('threshold'), ctx.line);
    },
    no: {
      syntax: noForm('crypto', 'ikev2', 'cookie-challenge'),
      run(ctx) {
        ctx.state.cookieChallenge = at(null, ctx.line);
      },
    },
  }),
  command({
    mode: 'global',
    syntax: ikev2('limit', 'max-in-negotiation-sa', val('limit', int(1, 10_000_000), 'max-in-negotiation-sa'), opt(oneOf('direction', ['incoming', 'outgoing']))),
    run(ctx, args) {
      const direction = args.opt<'incoming' | 'outgoing'>('direction') ?? 'both';
      ctx.state.maxInNegotiationSa = at({ limit: args.get<number>('limit'), direction }, ctx.line);
    },
    no: {
      syntax: noForm('crypto', 'ikev2', 'limit', 'max-in-negotiation-sa'),
      run(ctx) {
        ctx.state.maxInNegotiationSa = at(null, ctx.line);
      },
    },
  }),
  command({
    mode: 'global',
    syntax: ikev2('limit', 'max-sa', val('limit', int(1, 10_000_000), 'max-sa')),
    run(ctx, args) {
      ctx.state.maxSa = at(args.get<number>('limit'), ctx.line);
    },
    no: {
      syntax: noForm('crypto', 'ikev2', 'limit', 'max-sa'),
      run(ctx) {
        ctx.state.maxSa = at(null, ctx.line);
      },
    },
  }),
  command({
    mode: 'global',
    syntax: ikev2('dpd', dpdSyntax),
    run(ctx, args) {
      ctx.state.dpd = at(dpdFrom(args), ctx.line);
    },
    no: {
      syntax: noForm('crypto', 'ikev2', 'dpd'),
      run(ctx) {
        ctx.state.dpd = at(null, ctx.line);
      },
    },
  }),
  command({
    mode: 'global',
    syntax: ikev2('nat', 'keepalive', natKeepaliveValue),
    run(ctx, args) {
      ctx.state.natKeepalive = at(args.get<number>('seconds'), ctx.line);
    },
    no: {
      syntax: noForm('crypto', 'ikev2', 'nat', 'keepalive'),
      run(ctx) {
        ctx.state.natKeepalive = at(null, ctx.line);
      },
    },
  }),
  command({
    mode: 'global',
    syntax: ikev2('window', val('size', int(1, 200), 'window size')),
    run(ctx, args) {
      ctx.state.window = at(args.get<number>('size'), ctx.line);
    },
  }),
  command({
    mode: 'global',
    syntax: ikev2('fragmentation', opt('mtu', val('mtu', int(68, 1500), 'fragmentation MTU'))),
    run(ctx, args) {
      ctx.state.fragmentation = at({ enabled: true, mtu: args.opt<number>('mtu') ?? null }, ctx.line);
    },
    no: {
      syntax: noForm('crypto', 'ikev2', 'fragmentation'),
      run(ctx) {
        ctx.state.fragmentation = at({ enabled: false, mtu: null }, ctx.line);
      },
    },
  }),
];
