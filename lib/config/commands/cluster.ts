// `crypto ikev2 cluster`: the IKEv2 Load Balancer (Cisco's CLB) settings.
// IOS spells the roles master/slave; newer IOS primary/subordinate. Both are
// accepted everywhere. ikelb extensions: `authentication key-string` (alias
// `secret`), the key of the CLB channel's HMAC (Cisco's channel is plain), and
// `member ADDRESS`, the gateways allowed to join (default: any holding the key).
// Ranges come from CLUSTER_RANGES (defaults.ts), which lib/cluster/clb/options.ts checks too.
import { command, type CommandSpec, noForm } from '../command';
import { decodeType7 } from '../cisco-type7';
import type { ClusterDraft } from '../draft';
import { at } from '../draft';
import { CLUSTER_RANGES as R } from '../defaults';
import { Secret } from '../secret';
import { choice, type Node, oneOf, opt, seq, val } from '../syntax';
import { int, type IpValue, ipAddress, name, secretText } from '../values';

const primary = choice('master', 'primary');
const subordinate = choice('slave', 'subordinate');

function clusterSetting(syntax: Node, apply: (cluster: ClusterDraft, value: number, line: number) => void, valueName = 'value'): CommandSpec {
  return command({
    mode: 'ikev2-cluster',
    syntax,
    run(ctx, args) {
      apply(ctx.state, args.get<number>(valueName), ctx.line);
    },
  });
}

export const clusterCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'cluster'),
    opens: { mode: 'ikev2-cluster', scratch: (): ClusterDraft => ({ line: 0, members: [] }) },
    run(ctx) {
      ctx.state.cluster ??= { line: ctx.line, members: [] };
      ctx.enter('ikev2-cluster', ctx.state.cluster);
    },
  }),
  command({
    mode: 'ikev2-cluster',
    syntax: seq('standby-group', val('group', name(), 'standby group name')),
    run(ctx, args) {
      ctx.state.standbyGroup = at(args.get<string>('group'), ctx.line);
    },
  }),
  clusterSetting(seq('port', val('value', int(...R.port), 'port')), (c, v, line) => (c.port = at(v, line))),
  clusterSetting(seq('holdtime', val('value', int(...R.holdtimeMs), 'holdtime (ms)')), (c, v, line) => (c.holdtime = at(v, line))),
  clusterSetting(seq(primary, 'overload-limit', val('value', int(...R.overloadLimitPercent), 'overload-limit (%)')), (c, v, line) => (c.overloadLimit = at(v, line))),
  command({
    mode: 'ikev2-cluster',
    // `master weight crypto-load N` and the short form `master crypto-load N`.
    syntax: seq(primary, opt('weight'), oneOf('load', ['crypto-load', 'system-load']), val('value', int(...R.weight), 'weight')),
    run(ctx, args) {
      const weight = at(args.get<number>('value'), ctx.line);
      if (args.get<string>('load') === 'crypto-load') ctx.state.cryptoLoadWeight = weight;
      else ctx.state.systemLoadWeight = weight;
    },
  }),
  clusterSetting(seq(subordinate, 'hello', val('value', int(...R.helloMs), 'hello (ms)')), (c, v, line) => (c.hello = at(v, line))),
  clusterSetting(seq(subordinate, 'update', val('value', int(...R.updateMs), 'update (ms)')), (c, v, line) => (c.update = at(v, line))),
  clusterSetting(seq(subordinate, 'max-session', val('value', int(...R.maxSessions), 'max-session')), (c, v, line) => (c.maxSession = at(v, line))),
  clusterSetting(seq(subordinate, 'priority', val('value', int(...R.priority), 'priority')), (c, v, line) => (c.priority = at(v, line))),
  command({
    mode: 'ikev2-cluster',
    // `authentication key-string [0|7] SECRET`, or `secret SECRET` as docs/CLB-PROTOCOL.md spells it.
    syntax: seq(choice(seq('authentication', 'key-string', opt(oneOf('keyType', ['0', '7']))), 'secret'), val('key', secretText(256), 'cluster secret')),
    run(ctx, args) {
      const raw = args.get<string>('key');
      if (args.opt<string>('keyType') === '7') {
        const decoded = decodeType7(raw);
        if (!decoded.ok) ctx.error(`key-string 7: ${decoded.message}`);
        else ctx.state.secret = at(new Secret(decoded.value, 'type7'), ctx.line);
        return;
      }
      ctx.state.secret = at(new Secret(raw), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-cluster',
    syntax: seq('member', val('address', ipAddress, 'member address')),
    run(ctx, args) {
      const address = args.get<IpValue>('address').address;
      if (ctx.state.members.some((m) => m.value === address)) ctx.warn(`member ${address} is listed twice`);
      else ctx.state.members.push(at(address, ctx.line));
    },
  }),
  command({
    mode: 'ikev2-cluster',
    syntax: seq('shutdown'),
    run(ctx) {
      ctx.state.shutdown = at(true, ctx.line);
    },
    no: {
      syntax: noForm('shutdown'),
      run(ctx) {
        ctx.state.shutdown = at(false, ctx.line);
      },
    },
  }),
];
