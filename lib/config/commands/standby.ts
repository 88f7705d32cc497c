// HSRP, as IOS spells it under an interface: `standby [group] ...` (RFC 2281
// v1, Cisco v2), plus the ikelb extension `standby <group> unicast-peer` for
// networks without multicast. Group ranges depend on `standby version`, which
// may come later in the block, so they are checked by validate.ts.
import { anything, type Args, type CommandContext, command, type CommandSpec, unsupported } from '../command';
import { decodeType7 } from '../cisco-type7';
import { at, type StandbyGroupDraft } from '../draft';
import { HSRP_MD5_KEY_MAX, HSRP_TEXT_AUTH_MAX } from '../defaults';
import { Secret } from '../secret';
import { choice, flag, kw, type Node, oneOf, opt, seq, set, some, val } from '../syntax';
import { int, type Ipv4Value, ipv4, name, secretText } from '../values';

/** `standby [group]`: the group is optional and defaults to 0 (IOS). */
const standby = (...rest: Node[]): Node => seq('standby', opt(val('group', int(0, 4095), 'group')), ...rest);

function groupOf(ctx: CommandContext<'interface'>, args: Args): StandbyGroupDraft {
  const number = args.opt<number>('group') ?? 0;
  let group = ctx.state.standbyGroups.get(number);
  if (group === undefined) {
    group = { group: number, line: ctx.line, secondaryVirtualIps: [], unicastPeers: [] };
    ctx.state.standbyGroups.set(number, group);
  }
  return group;
}

// IOS timers: hello 1-254 s or 15-999 ms; hold 1-255 s or 50-3000 ms (and hold >= 3 x hello, below).
const hello = choice(seq(flag('msec', 'helloMsec'), val('hello', int(15, 999), 'hello time')), val('hello', int(1, 254), 'hello time'));
const hold = choice(seq(flag('msec', 'holdMsec'), val('hold', int(50, 3000), 'hold time')), val('hold', int(1, 255), 'hold time'));

// IOS: `preempt delay minimum N reload N sync N` in any combination, or the old `preempt delay N`.
const preemptDelay = seq(
  'delay',
  choice(
    some(
      choice(
        seq('minimum', val('minimum', int(0, 3600), 'minimum delay')),
        seq('reload', val('reload', int(0, 3600), 'reload delay')),
        seq('sync', val('sync', int(0, 3600), 'sync delay')),
      ),
    ),
    val('minimum', int(0, 3600), 'delay'),
  ),
);

const authentication = seq(
  'authentication',
  choice(
    seq('text', val('text', secretText(64), 'text authentication')),
    seq(
      'md5',
      choice(
        seq('key-string', opt(oneOf('keyType', ['0', '7'])), val('md5', secretText(256), 'key-string'), opt(seq('timeout', val('timeout', int(0, 32767), 'timeout')))),
        seq('key-chain', set('keyChain'), val('chain', name(), 'key chain')),
      ),
    ),
    val('text', secretText(64), 'text authentication'),
  ),
);

export const standbyCommands: CommandSpec[] = [
  command({
    mode: 'interface',
    syntax: seq('standby', 'version', oneOf('version', ['1', '2'])),
    run(ctx, args) {
      ctx.state.standbyVersion = at(args.get<string>('version') === '2' ? 2 : 1, ctx.line);
    },
  }),
  command({
    mode: 'interface',
    syntax: seq('standby', 'use-bia', opt('scope', 'interface')),
    run(ctx) {
      ctx.state.standbyUseBia = true;
    },
    no: {
      syntax: seq('standby', 'use-bia'),
      run(ctx) {
        ctx.state.standbyUseBia = false;
      },
    },
  }),
  command({
    mode: 'interface',
    syntax: standby(kw('ip'), opt(val('vip', ipv4, 'virtual IP address'), opt(flag('secondary')))),
    run(ctx, args) {
      const group = groupOf(ctx, args);
      const vip = args.opt<Ipv4Value>('vip');
      if (args.has('secondary')) {
        if (vip !== undefined) group.secondaryVirtualIps.push(at({ address: vip.address, value: vip.value }, ctx.line));
      } else {
        group.virtualIp = at(vip === undefined ? null : { address: vip.address, value: vip.value }, ctx.line);
      }
    },
  }),
  command({
    mode: 'interface',
    syntax: standby(kw('priority'), val('priority', int(0, 255), 'priority')),
    run(ctx, args) {
      groupOf(ctx, args).priority = at(args.get<number>('priority'), ctx.line);
    },
    no: {
      syntax: seq('standby', opt(val('group', int(0, 4095), 'group')), 'priority', opt(val('priority', int(0, 255), 'priority'))),
      run(ctx, args) {
        delete groupOf(ctx, args).priority;
      },
    },
  }),
  command({
    mode: 'interface',
    syntax: standby(kw('preempt'), opt(preemptDelay)),
    run(ctx, args) {
      groupOf(ctx, args).preempt = at(
        { minimum: args.opt<number>('minimum') ?? 0, reload: args.opt<number>('reload') ?? 0, sync: args.opt<number>('sync') ?? 0 },
        ctx.line,
      );
    },
    no: {
      syntax: seq('standby', opt(val('group', int(0, 4095), 'group')), 'preempt', opt(preemptDelay)),
      run(ctx, args) {
        delete groupOf(ctx, args).preempt;
      },
    },
  }),
  command({
    mode: 'interface',
    syntax: standby(kw('timers'), hello, hold),
    run(ctx, args) {
      const helloMs = args.get<number>('hello') * (args.has('helloMsec') ? 1 : 1000);
      const holdMs = args.get<number>('hold') * (args.has('holdMsec') ? 1 : 1000);
      // RFC 2281 §5 advises hold >= 3 x hello; ikelb enforces it so one lost hello never flaps the group.
      if (holdMs < 3 * helloMs) {
        ctx.error(`hold time (${holdMs} ms) must be at least 3 x hello time (${helloMs} ms)`);
        return;
      }
      groupOf(ctx, args).timers = at({ helloMs, holdMs }, ctx.line);
    },
  }),
  command({
    mode: 'interface',
    syntax: standby(authentication),
    run(ctx, args) {
      if (args.has('keyChain')) {
        ctx.error("'standby authentication md5 key-chain' is not supported by ikelb: use 'md5 key-string KEY'");
        return;
      }
      const group = groupOf(ctx, args);
      const md5 = args.opt<string>('md5');
      if (md5 !== undefined) {
        let key = new Secret(md5);
        if (args.opt<string>('keyType') === '7') {
          const decoded = decodeType7(md5);
          if (!decoded.ok) {
            ctx.error(`key-string 7: ${decoded.message}`);
            return;
          }
          key = new Secret(decoded.value, 'type7');
        }
        if (key.length > HSRP_MD5_KEY_MAX) {
          ctx.error(`an HSRP md5 key-string is at most ${HSRP_MD5_KEY_MAX} characters (IOS)`);
          return;
        }
        if (args.has('timeout')) ctx.warn('key-string timeout is accepted and ignored: ikelb has one key per group');
        group.authentication = at({ mode: 'md5', key }, ctx.line);
        return;
      }
      const textKey = args.get<string>('text');
      if (Buffer.byteLength(textKey) > HSRP_TEXT_AUTH_MAX) {
        ctx.error(`text authentication is at most ${HSRP_TEXT_AUTH_MAX} characters (RFC 2281 §5: 8 octets on the wire)`);
        return;
      }
      group.authentication = at({ mode: 'text', key: new Secret(textKey) }, ctx.line);
    },
  }),
  command({
    mode: 'interface',
    syntax: standby(kw('name'), val('name', name(), 'group name')),
    run(ctx, args) {
      groupOf(ctx, args).name = at(args.get<string>('name'), ctx.line);
    },
  }),
  command({
    mode: 'interface',
    syntax: standby(kw('unicast-peer'), val('peer', ipv4, 'peer address')),
    run(ctx, args) {
      const peer = args.get<Ipv4Value>('peer');
      const group = groupOf(ctx, args);
      if (group.unicastPeers.some((p) => p.value.value === peer.value)) ctx.warn(`unicast-peer ${peer.address} is listed twice`);
      else group.unicastPeers.push(at({ address: peer.address, value: peer.value }, ctx.line));
    },
  }),
  unsupported('interface', standby(kw('track'), anything()), 'standby track', 'object tracking is not implemented; use priority and preempt'),
  unsupported('interface', standby(kw('ipv6'), anything()), 'standby ipv6', 'HSRP for IPv6 is not implemented; the VIP is IPv4'),
];
