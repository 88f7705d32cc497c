// Value parsers for command arguments. Each turns one token into a typed value
// or says what it must be; the grammar prefixes the argument's label, giving
// messages like "priority must be 0-255" or "mask must be a contiguous netmask".
import {
  formatIpv4,
  formatIpv6,
  maskToPrefixLength,
  parseIpv4,
  parseIpv6,
} from './ip';

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export interface ValueType<T> {
  /** How the argument is shown in "expected ..." lists, IOS-help style: `<0-255>`, `A.B.C.D`, `WORD`. */
  readonly placeholder: string;
  /** Secret arguments are masked wherever the line is echoed. */
  readonly secret?: boolean;
  parse(text: string): ParseResult<T>;
}

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = <T>(reason: string): ParseResult<T> => ({ ok: false, reason });

/** A decimal integer in [min, max]. */
export function int(min: number, max: number): ValueType<number> {
  return {
    placeholder: `<${min}-${max}>`,
    parse(text) {
      if (!/^[0-9]{1,12}$/.test(text)) return fail(`must be a number ${min}-${max}`);
      const value = Number(text);
      return value >= min && value <= max ? ok(value) : fail(`must be ${min}-${max}`);
    },
  };
}

export interface Ipv4Value {
  readonly address: string;
  readonly value: number;
}

export const ipv4: ValueType<Ipv4Value> = {
  placeholder: 'A.B.C.D',
  parse(text) {
    const value = parseIpv4(text);
    return value === undefined ? fail('must be an IPv4 address (A.B.C.D)') : ok({ address: formatIpv4(value), value });
  },
};

export interface MaskValue {
  readonly mask: string;
  readonly prefixLength: number;
}

export const ipv4Mask: ValueType<MaskValue> = {
  placeholder: 'A.B.C.D',
  parse(text) {
    const value = parseIpv4(text);
    if (value === undefined) return fail('must be a netmask in dotted-quad form (e.g. 255.255.255.0)');
    const prefixLength = maskToPrefixLength(value);
    if (prefixLength === undefined) return fail(`must be a contiguous netmask (e.g. 255.255.255.0), not ${text}`);
    return ok({ mask: formatIpv4(value), prefixLength });
  },
};

export interface Ipv6Value {
  readonly address: string;
  readonly groups: readonly number[];
}

export const ipv6: ValueType<Ipv6Value> = {
  placeholder: 'X:X:X:X::X',
  parse(text) {
    const groups = parseIpv6(text);
    return groups === undefined ? fail('must be an IPv6 address (X:X:X:X::X)') : ok({ address: formatIpv6(groups), groups });
  },
};

export interface Ipv6PrefixValue extends Ipv6Value {
  readonly prefixLength: number;
}

export const ipv6Prefix: ValueType<Ipv6PrefixValue> = {
  placeholder: 'X:X:X:X::X/<0-128>',
  parse(text) {
    const slash = text.indexOf('/');
    if (slash < 0) return fail('must be an IPv6 prefix (X:X:X:X::X/<0-128>)');
    const groups = parseIpv6(text.slice(0, slash));
    const lengthText = text.slice(slash + 1);
    if (groups === undefined) return fail('must be an IPv6 prefix (X:X:X:X::X/<0-128>)');
    if (!/^[0-9]{1,3}$/.test(lengthText) || Number(lengthText) > 128) return fail('must have a prefix length 0-128');
    return ok({ address: formatIpv6(groups), groups, prefixLength: Number(lengthText) });
  },
};

export type IpValue = ({ readonly family: 4 } & Ipv4Value) | ({ readonly family: 6 } & Ipv6Value);

/** An IPv4 or an IPv6 address. */
export const ipAddress: ValueType<IpValue> = {
  placeholder: 'A.B.C.D|X:X::X',
  parse(text) {
    const v4 = ipv4.parse(text);
    if (v4.ok) return ok({ family: 4, ...v4.value });
    const v6 = ipv6.parse(text);
    if (v6.ok) return ok({ family: 6, ...v6.value });
    return fail('must be an IPv4 address (A.B.C.D) or an IPv6 address (X:X::X)');
  },
};

/** A name of a config object (proposal, keyring, pool...): printable, no spaces, at most `max` characters. */
export function name(max = 64): ValueType<string> {
  return {
    placeholder: 'WORD',
    parse(text) {
      if (text.length === 0 || text.length > max) return fail(`must be 1-${max} characters`);
      if (!/^[\x21-\x7e]+$/.test(text)) return fail('must be printable characters without spaces');
      return ok(text);
    },
  };
}

/** Free text of at most `max` characters (quoted tokens may hold spaces). */
export function text(max: number): ValueType<string> {
  return {
    placeholder: 'LINE',
    parse(value) {
      if (value.length === 0) return fail('must not be empty');
      if (value.length > max) return fail(`must be at most ${max} characters`);
      if (/[\x00-\x1f\x7f]/.test(value)) return fail('must not contain control characters');
      return ok(value);
    },
  };
}

/** A secret string (masked wherever a line is echoed). */
export function secretText(max: number): ValueType<string> {
  return { ...text(max), placeholder: 'WORD', secret: true };
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A host name label as `hostname` takes it (RFC 1123: letters, digits, inner hyphens, at most 63). */
export const hostName: ValueType<string> = {
  placeholder: 'WORD',
  parse(value) {
    return LABEL.test(value) && /^[A-Za-z]/.test(value)
      ? ok(value)
      : fail('must start with a letter and hold only letters, digits and inner hyphens (at most 63; RFC 1123)');
  },
};

/** A fully qualified domain name (RFC 1035: labels of at most 63, at most 253 in all). */
export const fqdn: ValueType<string> = {
  placeholder: 'FQDN',
  parse(value) {
    const trimmed = value.endsWith('.') ? value.slice(0, -1) : value;
    if (trimmed.length === 0 || trimmed.length > 253) return fail('must be a domain name of at most 253 characters');
    const labels = trimmed.split('.');
    // RFC 3696 §2: a top-level label is never all digits, so 999.1.1.1 is a bad address, not a name.
    if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return fail('must be a domain name (its last label cannot be all digits)');
    return labels.every((label) => LABEL.test(label))
      ? ok(trimmed.toLowerCase())
      : fail('must be a domain name (labels of letters, digits and inner hyphens, at most 63 each)');
  },
};

/** An RFC 822 address as IKEv2's ID_RFC822_ADDR carries it: local@domain. */
export const email: ValueType<string> = {
  placeholder: 'user@domain',
  parse(value) {
    const at = value.lastIndexOf('@');
    if (at <= 0 || value.length > 255) return fail('must be an e-mail address (user@domain)');
    const domain = fqdn.parse(value.slice(at + 1));
    return domain.ok && /^[\x21-\x7e]+$/.test(value.slice(0, at))
      ? ok(`${value.slice(0, at)}@${domain.value}`)
      : fail('must be an e-mail address (user@domain)');
  },
};

/** A Linux network interface name (IFNAMSIZ: at most 15 characters, no '/', no spaces). */
export const interfaceName: ValueType<string> = {
  placeholder: 'IFNAME',
  parse(value) {
    if (value.length === 0 || value.length > 15 || value === '.' || value === '..' || /[/\s:]/.test(value)) {
      return fail('must be a Linux interface name (at most 15 characters, no "/", ":" or spaces), e.g. eth0');
    }
    return ok(value);
  },
};

/** A file system path (checked for existence by validation, not here). */
export const filePath: ValueType<string> = {
  placeholder: 'PATH',
  parse(value) {
    return value.length > 0 && value.length <= 4096 && !value.includes('\0') ? ok(value) : fail('must be a file path');
  },
};

/** One of a fixed set of names (case-insensitive, unique prefixes accepted as IOS does); anything else is "not supported", naming the set. */
export function enumValue<K extends string>(names: readonly K[]): ValueType<K> {
  return {
    placeholder: names.join('|'),
    parse(value) {
      const lower = value.toLowerCase();
      const exact = names.find((n) => n === lower);
      if (exact !== undefined) return ok(exact);
      const prefixed = names.filter((n) => n.startsWith(lower));
      if (prefixed.length === 1) return ok(prefixed[0] as K);
      if (prefixed.length > 1) return fail(`'${value}' is ambiguous: could be ${prefixed.join(', ')}`);
      return fail(`'${value}' is not supported by ikelb (supported: ${names.join(', ')})`);
    },
  };
}
