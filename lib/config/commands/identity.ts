// Identity syntax shared by keyring peers and IKEv2 profiles: how a peer is
// matched (`match identity remote ...`, `identity ...`) and what this side
// sends (`identity local ...`). RFC 7296 §3.5 identity types.
import type { Args } from '../command';
import type { AddressMatch, Identity, IdentityMatch } from '../model';
import { choice, flag, type Node, opt, seq, set, val } from '../syntax';
import { email, fqdn, type IpValue, ipAddress, ipv4, type Ipv4Value, ipv4Mask, type Ipv6PrefixValue, ipv6Prefix, type MaskValue, name } from '../values';

/** `A.B.C.D [MASK]` or `X:X::X/len`, bound as `addr4`+`mask` or `addr6`. */
export function addressMatchSyntax(): Node {
  return choice(seq(val('addr4', ipv4, 'address'), opt(val('mask', ipv4Mask))), val('addr6', ipv6Prefix, 'address'));
}

export function addressMatchFrom(args: Args): AddressMatch {
  const v4 = args.opt<Ipv4Value>('addr4');
  if (v4 !== undefined) {
    const mask = args.opt<MaskValue>('mask') ?? { mask: '255.255.255.255', prefixLength: 32 };
    return { family: 4, address: v4.address, mask: mask.mask, prefixLength: mask.prefixLength };
  }
  const v6 = args.get<Ipv6PrefixValue>('addr6');
  return { family: 6, address: v6.address, prefixLength: v6.prefixLength };
}

/** `address ... | fqdn [domain] NAME | email [domain] NAME | key-id ID`, plus `any` when allowed. */
export function identityMatchSyntax(allowAny: boolean): Node {
  const alts: Node[] = [
    seq('address', set('idType', 'address'), addressMatchSyntax()),
    seq('fqdn', set('idType', 'fqdn'), opt(flag('domain')), val('idValue', fqdn, 'fqdn')),
    seq('email', set('idType', 'email'), opt(flag('domain')), val('idValue', email, 'email')),
    seq('key-id', set('idType', 'key-id'), val('idValue', name(128), 'key-id')),
  ];
  if (allowAny) alts.unshift(seq('any', set('idType', 'any')));
  return choice(...alts);
}

export function identityMatchFrom(args: Args): IdentityMatch {
  const type = args.get<string>('idType');
  switch (type) {
    case 'any':
      return { type: 'any' };
    case 'address':
      return { type: 'address', ...addressMatchFrom(args) };
    case 'fqdn':
    case 'email':
      return { type, domain: args.has('domain'), value: args.get<string>('idValue') };
    default:
      return { type: 'key-id', value: args.get<string>('idValue') };
  }
}

/** What this side sends: `address A | fqdn NAME | email NAME | dn | key-id ID`. */
export function identitySyntax(): Node {
  return choice(
    seq('address', set('idType', 'address'), val('idAddress', ipAddress, 'address')),
    seq('fqdn', set('idType', 'fqdn'), val('idValue', fqdn, 'fqdn')),
    seq('email', set('idType', 'email'), val('idValue', email, 'email')),
    seq('dn', set('idType', 'dn')),
    seq('key-id', set('idType', 'key-id'), val('idValue', name(128), 'key-id')),
  );
}

export function identityFrom(args: Args): Identity {
  const type = args.get<string>('idType');
  switch (type) {
    case 'address': {
      const ip = args.get<IpValue>('idAddress');
      return { type: 'address', family: ip.family, address: ip.address };
    }
    case 'dn':
      return { type: 'dn' };
    case 'fqdn':
    case 'email':
    case 'key-id':
      return { type, value: args.get<string>('idValue') };
    default:
      throw new Error(`config grammar: identity type ${type}`);
  }
}
