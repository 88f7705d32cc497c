// `crypto ikev2 client flexvpn NAME`: the initiator side. Peers are tried in
// sequence order; `client connect profile NAME` names the IKEv2 profile to
// initiate with (IOS uses `client connect TunnelN`; ikelb has no tunnel
// interfaces). `port`/`nat-t-port` on a peer are ikelb extensions.
import { command, type CommandSpec, noForm } from '../command';
import { at, type ClientDraft } from '../draft';
import { choice, opt, seq, set, val } from '../syntax';
import { fqdn, int, type IpValue, ipAddress, name } from '../values';

export const clientCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'client', 'flexvpn', val('name', name(), 'client name')),
    opens: { mode: 'ikev2-client', scratch: (): ClientDraft => ({ name: '', line: 0, peers: new Map() }) },
    run(ctx, args) {
      const clientName = args.get<string>('name');
      let client = ctx.state.clients.get(clientName);
      if (client === undefined) {
        client = { name: clientName, line: ctx.line, peers: new Map() };
        ctx.state.clients.set(clientName, client);
      }
      ctx.enter('ikev2-client', client);
    },
  }),
  command({
    mode: 'ikev2-client',
    syntax: seq(
      'peer',
      val('index', int(1, 10), 'peer sequence number'),
      choice(val('address', ipAddress, 'peer address'), seq('fqdn', val('fqdn', fqdn, 'peer name'), opt('dynamic')), val('fqdn', fqdn, 'peer name')),
      opt('port', val('port', int(1, 65535), 'port')),
      opt('nat-t-port', val('natTPort', int(1, 65535), 'nat-t-port')),
    ),
    run(ctx, args) {
      const index = args.get<number>('index');
      const address = args.opt<IpValue>('address');
      const host =
        address !== undefined
          ? { type: 'address' as const, family: address.family, address: address.address }
          : { type: 'fqdn' as const, value: args.get<string>('fqdn') };
      if (ctx.state.peers.has(index)) ctx.warn(`peer ${index} is configured again: the last one wins`);
      ctx.state.peers.set(index, at({ host, port: args.opt<number>('port') ?? null, natTPort: args.opt<number>('natTPort') ?? null }, ctx.line));
    },
  }),
  command({
    mode: 'ikev2-client',
    syntax: seq('peer', 'reactivate'),
    run(ctx) {
      ctx.state.peerReactivate = at(true, ctx.line);
    },
    no: {
      syntax: noForm('peer', 'reactivate'),
      run(ctx) {
        ctx.state.peerReactivate = at(false, ctx.line);
      },
    },
  }),
  command({
    mode: 'ikev2-client',
    syntax: seq('client', 'connect', choice(seq('profile', val('profile', name(), 'profile name')), seq(set('tunnel'), val('interface', name(), 'interface')))),
    run(ctx, args) {
      if (args.has('tunnel')) {
        ctx.error("ikelb has no tunnel interfaces: write 'client connect profile NAME' with the IKEv2 profile to initiate with");
        return;
      }
      ctx.state.profile = at(args.get<string>('profile'), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-client',
    syntax: seq('connect', choice(seq('auto', set('connect', 'auto')), seq('manual', set('connect', 'manual')), seq('track', set('connect', 'track'), opt(val('track', int(1, 1000), 'track object')), opt(choice('up', 'down'))))),
    run(ctx, args) {
      const mode = args.get<'auto' | 'manual' | 'track'>('connect');
      if (mode === 'track') ctx.warn('ikelb has no object tracking: connect track behaves like connect auto');
      ctx.state.connect = at(mode, ctx.line);
    },
  }),
];
