// Address assignment the FlexVPN way: `aaa new-model`, `aaa authorization
// network LIST local`, `crypto ikev2 authorization policy NAME` with `pool`,
// and `aaa authorization group ... list LIST POLICY` in the profile. ikelb
// always authorizes locally: the AAA lines are accepted so IOS configs read
// the same, and checked for consistency.
import { command, type CommandSpec, noForm, unsupported } from '../command';
import { at, type AuthorizationPolicyDraft } from '../draft';
import { opt, seq, val } from '../syntax';
import { type IpValue, ipAddress, ipv4Mask, type MaskValue, name } from '../values';

export const authorizationCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('aaa', 'new-model'),
    run(ctx) {
      ctx.state.aaaNewModel = at(true, ctx.line);
    },
    no: {
      syntax: noForm('aaa', 'new-model'),
      run(ctx) {
        ctx.state.aaaNewModel = at(false, ctx.line);
      },
    },
  }),
  command({
    mode: 'global',
    syntax: seq('aaa', 'authorization', 'network', val('list', name(), 'list name'), 'local'),
    run(ctx, args) {
      ctx.state.aaaNetworkLists.set(args.get<string>('list'), at('local', ctx.line));
    },
  }),
  unsupported('global', ['aaa', 'authentication'], 'aaa authentication', 'ikelb authenticates IKE peers with keyrings and certificates'),
  unsupported('global', ['aaa', 'accounting'], 'aaa accounting', 'accounting is not implemented'),
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'authorization', 'policy', val('name', name(), 'policy name')),
    opens: { mode: 'ikev2-authorization-policy', scratch: (): AuthorizationPolicyDraft => ({ name: '', line: 0, dns: [] }) },
    run(ctx, args) {
      const policyName = args.get<string>('name');
      let policy = ctx.state.authorizationPolicies.get(policyName);
      if (policy === undefined) {
        policy = { name: policyName, line: ctx.line, dns: [] };
        ctx.state.authorizationPolicies.set(policyName, policy);
      }
      ctx.enter('ikev2-authorization-policy', policy);
    },
  }),
  command({
    mode: 'ikev2-authorization-policy',
    syntax: seq('pool', val('name', name(), 'pool name')),
    run(ctx, args) {
      ctx.state.pool = at(args.get<string>('name'), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-authorization-policy',
    syntax: seq('ipv6', 'pool', val('name', name(), 'pool name')),
    run(ctx, args) {
      ctx.state.ipv6Pool = at(args.get<string>('name'), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-authorization-policy',
    syntax: seq('dns', val('primary', ipAddress, 'DNS server'), opt(val('secondary', ipAddress, 'DNS server'))),
    run(ctx, args) {
      const secondary = args.opt<IpValue>('secondary');
      ctx.state.dns = [at(args.get<IpValue>('primary').address, ctx.line)];
      if (secondary !== undefined) ctx.state.dns.push(at(secondary.address, ctx.line));
    },
  }),
  command({
    mode: 'ikev2-authorization-policy',
    syntax: seq('netmask', val('mask', ipv4Mask)),
    run(ctx, args) {
      ctx.state.netmask = at(args.get<MaskValue>('mask').mask, ctx.line);
    },
  }),
  unsupported('ikev2-authorization-policy', ['route'], 'route', 'split tunnelling routes are not implemented; traffic selectors decide'),
];
