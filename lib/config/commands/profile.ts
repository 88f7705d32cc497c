// `crypto ikev2 profile NAME`: which peers it serves (match), who we are
// (identity local), how both sides authenticate, where keys and certificates
// come from, IKE SA lifetime, DPD, redirect in IKE_AUTH and address
// assignment (`aaa authorization group ... list ... POLICY`, as FlexVPN does).
import { anything, command, type CommandSpec, unsupported } from '../command';
import { at, type AuthMethodDraft, type ProfileDraft } from '../draft';
import { choice, oneOf, opt, seq, set, val } from '../syntax';
import { int, type IpValue, ipAddress, name } from '../values';
import { dpdFrom, dpdSyntax, natKeepaliveValue } from './ikev2-global';
import { identityFrom, identityMatchFrom, identityMatchSyntax, identitySyntax } from './identity';
import { keyFrom, keySyntax } from './keyring';

export function newProfile(profileName: string, line: number): ProfileDraft {
  return {
    name: profileName,
    line,
    matchIdentityRemote: [],
    matchIdentityLocal: [],
    matchAddressLocal: [],
    authenticationRemote: [],
    trustpoints: [],
    authorization: [],
  };
}

const authMethod = choice(
  seq('pre-share', set('method', 'pre-share'), opt('key', keySyntax)),
  seq('rsa-sig', set('method', 'rsa-sig')),
  seq('ecdsa-sig', set('method', 'ecdsa-sig')),
  seq('eap', set('method', 'eap'), anything()),
);

export const profileCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'profile', val('name', name(), 'profile name')),
    opens: { mode: 'ikev2-profile', scratch: () => newProfile('', 0) },
    run(ctx, args) {
      const profileName = args.get<string>('name');
      let profile = ctx.state.profiles.get(profileName);
      if (profile === undefined) {
        profile = newProfile(profileName, ctx.line);
        ctx.state.profiles.set(profileName, profile);
      }
      ctx.enter('ikev2-profile', profile);
    },
  }),
  command({
    mode: 'ikev2-profile',
    syntax: seq('match', 'identity', oneOf('side', ['remote', 'local']), identityMatchSyntax(true)),
    run(ctx, args) {
      const match = identityMatchFrom(args);
      if (args.get<string>('side') === 'remote') ctx.state.matchIdentityRemote.push(at(match, ctx.line));
      else if (match.type === 'any') ctx.error("'match identity local any' is not valid: leave out 'match identity local' to match any");
      else ctx.state.matchIdentityLocal.push(at(match, ctx.line));
    },
  }),
  command({
    mode: 'ikev2-profile',
    syntax: seq('match', 'address', 'local', val('address', ipAddress, 'local address')),
    run(ctx, args) {
      ctx.state.matchAddressLocal.push(at(args.get<IpValue>('address').address, ctx.line));
    },
  }),
  unsupported('ikev2-profile', ['match', 'certificate'], 'match certificate', 'certificate maps are not implemented; use match identity remote'),
  unsupported('ikev2-profile', ['match', 'fvrf'], 'match fvrf', 'ikelb has no VRFs'),
  command({
    mode: 'ikev2-profile',
    syntax: seq('identity', 'local', identitySyntax()),
    run(ctx, args) {
      ctx.state.identityLocal = at(identityFrom(args), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-profile',
    syntax: seq('authentication', oneOf('side', ['local', 'remote']), authMethod),
    run(ctx, args) {
      const methodName = args.get<string>('method');
      if (methodName === 'eap') {
        ctx.error("'authentication eap' is not supported by ikelb: use pre-share, rsa-sig or ecdsa-sig");
        return;
      }
      let method: AuthMethodDraft;
      if (methodName === 'pre-share') {
        const key = args.has('key') ? keyFrom(ctx, args) : null;
        if (key === undefined) return;
        method = { method: 'pre-share', key };
      } else {
        method = { method: methodName as 'rsa-sig' | 'ecdsa-sig' };
      }
      if (args.get<string>('side') === 'local') {
        ctx.state.authenticationLocal = at(method, ctx.line); // IOS: one local method; the last one wins
      } else {
        const existing = ctx.state.authenticationRemote.findIndex((m) => m.value.method === method.method);
        if (existing >= 0) ctx.state.authenticationRemote[existing] = at(method, ctx.line);
        else ctx.state.authenticationRemote.push(at(method, ctx.line));
      }
    },
  }),
  command({
    mode: 'ikev2-profile',
    syntax: seq('keyring', 'local', val('name', name(), 'keyring name')),
    run(ctx, args) {
      ctx.state.keyring = at(args.get<string>('name'), ctx.line);
    },
  }),
  unsupported('ikev2-profile', ['keyring', 'aaa'], 'keyring aaa', 'keys come from local keyrings'),
  command({
    mode: 'ikev2-profile',
    syntax: seq('pki', 'trustpoint', val('name', name(), 'trustpoint name'), opt(oneOf('use', ['sign', 'verify']))),
    run(ctx, args) {
      const trustpoint = args.get<string>('name');
      const use = args.opt<'sign' | 'verify'>('use') ?? 'both';
      const existing = ctx.state.trustpoints.find((t) => t.value.name === trustpoint);
      if (existing !== undefined) existing.value.use = existing.value.use === use ? use : 'both';
      else ctx.state.trustpoints.push(at({ name: trustpoint, use }, ctx.line));
    },
  }),
  command({
    mode: 'ikev2-profile',
    syntax: seq('lifetime', val('seconds', int(120, 86_400), 'lifetime (s)')),
    run(ctx, args) {
      ctx.state.lifetime = at(args.get<number>('seconds'), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-profile',
    syntax: seq('dpd', dpdSyntax),
    run(ctx, args) {
      ctx.state.dpd = at(dpdFrom(args), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-profile',
    syntax: seq('nat', 'keepalive', natKeepaliveValue),
    run(ctx, args) {
      ctx.state.natKeepalive = at(args.get<number>('seconds'), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-profile',
    syntax: seq('redirect', 'gateway', 'auth'),
    run(ctx) {
      ctx.state.redirectGatewayAuth = at(true, ctx.line);
    },
    no: {
      syntax: seq('redirect', 'gateway', 'auth'),
      run(ctx) {
        ctx.state.redirectGatewayAuth = at(false, ctx.line);
      },
    },
  }),
  command({
    mode: 'ikev2-profile',
    // FlexVPN: `aaa authorization group psk|cert list LIST [POLICY]`; ikelb authorizes locally from `crypto ikev2 authorization policy POLICY`.
    syntax: seq('aaa', 'authorization', 'group', oneOf('scope', ['psk', 'cert']), 'list', val('list', name(), 'AAA list'), opt(val('policy', name(), 'authorization policy'))),
    run(ctx, args) {
      const scope = args.get<'psk' | 'cert'>('scope');
      const entry = at({ scope, list: args.get<string>('list'), policy: args.opt<string>('policy') ?? null }, ctx.line);
      const existing = ctx.state.authorization.findIndex((a) => a.value.scope === scope);
      if (existing >= 0) ctx.state.authorization[existing] = entry;
      else ctx.state.authorization.push(entry);
    },
  }),
  unsupported('ikev2-profile', ['aaa', 'authorization', 'group', 'eap'], 'aaa authorization group eap', 'EAP is not implemented'),
  unsupported('ikev2-profile', ['aaa', 'authorization', 'user'], 'aaa authorization user', 'per-user AAA attributes are not implemented; use aaa authorization group'),
  unsupported('ikev2-profile', ['aaa', 'accounting'], 'aaa accounting', 'accounting is not implemented'),
  unsupported('ikev2-profile', ['virtual-template'], 'virtual-template', 'ikelb installs CHILD_SAs without tunnel interfaces'),
];
